import { PlaceholderPage } from '../components/placeholder_page';

export function LifelogPage() {
  return (
    <PlaceholderPage
      id="lifelog"
      title="nav.lifelog"
      description="part.lifelog.description"
      plans={['part.lifelog.plan1', 'part.lifelog.plan2', 'part.lifelog.plan3', 'part.lifelog.plan4']}
      icon="lifelog"
    />
  );
}
