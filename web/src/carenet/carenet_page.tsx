import { PlaceholderPage } from '../components/placeholder_page';

export function CarenetPage() {
  return (
    <PlaceholderPage
      id="carenet"
      title="nav.carenet"
      description="part.carenet.description"
      plans={['part.carenet.plan1', 'part.carenet.plan2', 'part.carenet.plan3', 'part.carenet.plan4']}
      icon="carenet"
    />
  );
}
