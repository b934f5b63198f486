// Line icons drawn on a 24×24 grid; they inherit the text colour and are hidden from
// assistive technology (the text beside them says what they mean).

export type IconName =
  | 'home'
  | 'carenet'
  | 'watch'
  | 'insight'
  | 'disaster'
  | 'emergency'
  | 'lifelog'
  | 'persons'
  | 'users'
  | 'audit'
  | 'menu'
  | 'close'
  | 'logout'
  | 'refresh'
  | 'state-ok'
  | 'state-attention'
  | 'state-alert'
  | 'state-offline'
  | 'alerts'
  | 'family'
  | 'phone'
  | 'sound-on'
  | 'sound-off'
  | 'board'
  | 'directory';

const PATHS: Record<IconName, string[]> = {
  home: ['M3 11 12 4l9 7', 'M5 10v10h5v-6h4v6h5V10'],
  carenet: [
    'M12 7.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z',
    'M5 20.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z',
    'M19 20.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z',
    'M10.8 7.2 6.2 15.8M13.2 7.2l4.6 8.6M7.5 18h9',
  ],
  watch: ['M6 2.5h12v19H6z', 'M6 9.5h12', 'M9 5v2.5M9 12.5v4'],
  insight: ['M4 20h16', 'M6.5 20v-6M11 20V8M15.5 20v-9M20 20V5'],
  disaster: ['M12 3 2 20.5h20Z', 'M12 9.5v5', 'M12 17.5v.01'],
  emergency: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z', 'M12 7.5v9M7.5 12h9'],
  lifelog: ['M5 3.5h12a2 2 0 0 1 2 2v15H7a2 2 0 0 1-2-2Z', 'M5 18.5a2 2 0 0 1 2-2h12', 'M9 7.5h6M9 11h6'],
  persons: ['M12 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8Z', 'M4 21c.8-4 4-6 8-6s7.2 2 8 6'],
  users: ['M10 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8Z', 'M2.5 21c.8-4 3.7-6 7.5-6 1.6 0 3 .3 4.2 1', 'M18.5 14v7M15 17.5h7'],
  audit: ['M8 3.5h8v3H8z', 'M6 5H4.5v16h15V5H18', 'M8 11h8M8 15h5'],
  menu: ['M4 6.5h16M4 12h16M4 17.5h16'],
  close: ['M6 6l12 12M18 6 6 18'],
  logout: ['M14 4h5v16h-5', 'M10 8l-4 4 4 4', 'M6 12h10'],
  refresh: ['M19.5 12a7.5 7.5 0 1 1-2.2-5.3', 'M19.5 4v4.5H15'],
  // Watch-over states: each has its own shape, so the state never depends on colour alone.
  'state-ok': ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z', 'M8 12.3l2.8 2.8L16.2 9.6'],
  'state-attention': ['M12 3.2 2.5 20h19Z', 'M12 9.5v5', 'M12 17.3v.01'],
  'state-alert': ['M6.5 16.5v-5a5.5 5.5 0 0 1 11 0v5l1.5 2h-14Z', 'M10 20.5a2 2 0 0 0 4 0', 'M12 3v1.2'],
  'state-offline': ['M4.5 10a11 11 0 0 1 15 0', 'M7.8 13.5a6.3 6.3 0 0 1 8.4 0', 'M12 17.5v.01', 'M4 4l16 16'],
  alerts: ['M6.5 16.5v-5a5.5 5.5 0 0 1 11 0v5l1.5 2h-14Z', 'M10 20.5a2 2 0 0 0 4 0', 'M3 8.5a9 9 0 0 1 2.5-4.5M21 8.5A9 9 0 0 0 18.5 4'],
  family: [
    'M8.5 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6Z',
    'M2.5 20c.6-3.4 3-5.5 6-5.5s5.4 2.1 6 5.5',
    'M16.5 11a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z',
    'M16 14.4c2.8-.3 5 1.5 5.6 4.6',
  ],
  phone: ['M5.5 3.5h3.5l2 5-2.5 1.6a11.5 11.5 0 0 0 5.4 5.4l1.6-2.5 5 2v3.5a2 2 0 0 1-2 2A17 17 0 0 1 3.5 5.5a2 2 0 0 1 2-2Z'],
  'sound-on': ['M4 9.5h4l5-4v13l-5-4H4Z', 'M16.5 9a4 4 0 0 1 0 6', 'M19 6.5a7.5 7.5 0 0 1 0 11'],
  'sound-off': ['M4 9.5h4l5-4v13l-5-4H4Z', 'M16.5 9.5l5 5M21.5 9.5l-5 5'],
  board: ['M4 4.5h16v11H9l-5 4Z', 'M8 8.5h8M8 11.5h5'],
  directory: ['M4 20.5V6l6-2.5v17', 'M10 8.5h10v12', 'M2.5 20.5h19', 'M6.5 8.5v.01M6.5 12v.01M6.5 15.5v.01M13.5 12h3M13.5 15.5h3'],
};

export function Icon({ name, class: className }: { name: IconName; class?: string }) {
  return (
    <svg
      class={className ? `icon ${className}` : 'icon'}
      viewBox="0 0 24 24"
      width="24"
      height="24"
      fill="none"
      stroke="currentColor"
      stroke-width="1.8"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[name].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
