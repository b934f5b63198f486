import { PlaceholderPage } from '../components/placeholder_page';

export function DisasterPage() {
  return (
    <PlaceholderPage
      id="disaster"
      title="nav.disaster"
      description="part.disaster.description"
      plans={['part.disaster.plan1', 'part.disaster.plan2', 'part.disaster.plan3', 'part.disaster.plan4']}
      icon="disaster"
    />
  );
}
