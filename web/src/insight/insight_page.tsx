import { PlaceholderPage } from '../components/placeholder_page';

export function InsightPage() {
  return (
    <PlaceholderPage
      id="insight"
      title="nav.insight"
      description="part.insight.description"
      plans={['part.insight.plan1', 'part.insight.plan2', 'part.insight.plan3', 'part.insight.plan4']}
      icon="insight"
    />
  );
}
