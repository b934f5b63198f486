import type { MessageKey } from '../common/i18n';
import type { IconName } from './icons';

/** The six parts of the platform, in menu order. A part without its own page yet (app.tsx PART_PAGES) shows a placeholder. */
const PART_IDS = ['carenet', 'watch', 'insight', 'disaster', 'emergency', 'lifelog'] as const;
const PLAN_NUMBERS = [1, 2, 3, 4] as const;

export type PartId = (typeof PART_IDS)[number];

export interface Part {
  /** Used in data-testid="part-<id>", "nav-<id>" and "part-card-<id>". */
  id: PartId;
  path: `/${PartId}`;
  icon: IconName;
  title: MessageKey;
  /** One line for the home card. */
  summary: MessageKey;
  description: MessageKey;
  /** What the finished part will hold, one line each. */
  plans: MessageKey[];
}

// Every part follows the same naming: its icon has its id, its texts are nav.<id> and
// part.<id>.*; the compiler reports a key missing from ja.json.
function part(id: PartId): Part {
  return {
    id,
    path: `/${id}`,
    icon: id,
    title: `nav.${id}`,
    summary: `part.${id}.summary`,
    description: `part.${id}.description`,
    plans: PLAN_NUMBERS.map((n) => `part.${id}.plan${n}` as const),
  };
}

export const PARTS: readonly Part[] = PART_IDS.map(part);
