import { PlaceholderPage } from '../components/placeholder_page';

export function WatchPage() {
  return (
    <PlaceholderPage
      id="watch"
      title="nav.watch"
      description="part.watch.description"
      plans={['part.watch.plan1', 'part.watch.plan2', 'part.watch.plan3', 'part.watch.plan4']}
      icon="watch"
    />
  );
}
