import type { ComponentChildren } from 'preact';
import type { Resource } from '../common/use_resource';
import { Denied } from './denied';
import { ErrorMessage } from './error_message';
import { Loading } from './loading';

interface Props<T> {
  resource: Resource<T>;
  onRetry?: () => void;
  children: (data: T) => ComponentChildren;
}

/**
 * Renders a loaded resource, a spinner while loading, the denied page for 403
 * and an error box for anything else.
 */
export function ResourceView<T>({ resource, onRetry, children }: Props<T>) {
  if (resource.state === 'loading') return <Loading />;
  if (resource.state === 'error') {
    if (resource.error.status === 403) return <Denied />;
    return <ErrorMessage error={resource.error} onRetry={onRetry} />;
  }
  return <>{children(resource.data)}</>;
}
