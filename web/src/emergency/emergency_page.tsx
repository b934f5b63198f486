import { PlaceholderPage } from '../components/placeholder_page';

export function EmergencyPage() {
  return (
    <PlaceholderPage
      id="emergency"
      title="nav.emergency"
      description="part.emergency.description"
      plans={['part.emergency.plan1', 'part.emergency.plan2', 'part.emergency.plan3', 'part.emergency.plan4']}
      icon="emergency"
    />
  );
}
