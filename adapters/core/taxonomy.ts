// The gateway's own category taxonomy. Definitions use these codes; each adapter maps them to
// its host's category ids in <host>.rules.ts (and reports a violation when it cannot).
export interface CanonicalCategory {
  code: string;
  name: string;
  parent: string | null;
}

const TOP: Array<[string, string, Array<[string, string]>]> = [
  [
    'games',
    'Games',
    [
      ['casual', 'Casual games'],
      ['puzzle', 'Puzzle games'],
      ['board', 'Board and card games'],
      ['action', 'Action games'],
    ],
  ],
  [
    'life',
    'Life services',
    [
      ['food', 'Food and dining'],
      ['housekeeping', 'Housekeeping'],
      ['beauty', 'Beauty and hair'],
      ['delivery', 'Delivery and errands'],
      ['rental', 'Rental'],
    ],
  ],
  [
    'ecommerce',
    'E-commerce',
    [
      ['retail', 'Retail store'],
      ['marketplace', 'Marketplace'],
      ['group_buying', 'Group buying'],
      ['fresh', 'Fresh food'],
    ],
  ],
  [
    'tools',
    'Tools',
    [
      ['utility', 'Utilities'],
      ['office', 'Office and productivity'],
      ['calculator', 'Calculators'],
      ['weather', 'Weather'],
    ],
  ],
  [
    'education',
    'Education',
    [
      ['k12', 'K-12 tutoring'],
      ['languages', 'Language learning'],
      ['vocational', 'Vocational training'],
      ['early', 'Early education'],
    ],
  ],
  [
    'travel',
    'Travel',
    [
      ['hotel', 'Hotels'],
      ['tickets', 'Tickets and attractions'],
      ['transport', 'Transport'],
      ['ride_hailing', 'Ride hailing'],
    ],
  ],
  [
    'finance',
    'Finance',
    [
      ['banking', 'Banking'],
      ['insurance', 'Insurance'],
      ['payments', 'Payments'],
      ['wealth', 'Wealth management'],
    ],
  ],
  [
    'social',
    'Social',
    [
      ['community', 'Community and forums'],
      ['dating', 'Dating'],
      ['notes', 'Notes and sharing'],
      ['qa', 'Questions and answers'],
    ],
  ],
  [
    'media',
    'Media',
    [
      ['news', 'News'],
      ['video', 'Video'],
      ['music', 'Music'],
      ['reading', 'Reading'],
    ],
  ],
  [
    'health',
    'Health',
    [
      ['clinic', 'Clinics and hospitals'],
      ['pharmacy', 'Pharmacy'],
      ['fitness', 'Fitness'],
      ['consultation', 'Online consultation'],
    ],
  ],
  [
    'government',
    'Government',
    [
      ['services', 'Public services'],
      ['transport', 'Traffic and transport authority'],
      ['social_security', 'Social security'],
    ],
  ],
];

export const CANONICAL_CATEGORIES: readonly CanonicalCategory[] = TOP.flatMap(([code, name, children]) => [
  { code, name, parent: null },
  ...children.map(([child, childName]) => ({ code: `${code}.${child}`, name: childName, parent: code })),
]);

const BY_CODE = new Map(CANONICAL_CATEGORIES.map((c) => [c.code, c]));

export function findCategory(code: string): CanonicalCategory | undefined {
  return BY_CODE.get(code);
}

export function isCanonicalCategory(code: string): boolean {
  return BY_CODE.has(code);
}

/** The top-level code of a category (`life.food` -> `life`). */
export function topLevelOf(code: string): string {
  return code.split('.')[0];
}
