import type { ComponentChildren, JSX } from 'preact';
import { isPlainClick, navigate } from '../common/router';

type Props = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href' | 'onClick'> & {
  href: string;
  children?: ComponentChildren;
  /** Called after an in-app navigation (e.g. to close the phone menu). */
  onNavigate?: () => void;
};

/** An <a> that navigates inside the app without reloading; modified clicks behave as usual. */
export function Link({ href, onNavigate, children, ...rest }: Props) {
  const onClick = (event: MouseEvent) => {
    if (!isPlainClick(event)) return;
    event.preventDefault();
    navigate(href);
    onNavigate?.();
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
