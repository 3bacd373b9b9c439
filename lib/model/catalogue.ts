/** The thirteen Phase 0 steps. Ids are stable; a step that is not built yet is named plainly, never faked. */
export const PHASE0 = [
  { id: '0-1', name: 'dev-setup' },
  { id: '0-2', name: 'cluster' },
  { id: '0-3', name: 'redpanda' },
  { id: '0-4', name: 'prometheus' },
  { id: '0-5', name: 'loki' },
  { id: '0-6', name: 'tempo' },
  { id: '0-7', name: 'compose' },
  { id: '0-8', name: 'ci' },
  { id: '0-9', name: 'secrets' },
  { id: '0-10', name: 'template' },
  { id: '0-11', name: 'automation' },
  { id: '0-12', name: 'docs' },
  { id: '0-13', name: 'validate' },
] as const;
