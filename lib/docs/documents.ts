/** The onboarding guide: the steps in order, with sections generated from the code. */
export const GUIDE = 'docs/onboarding.md';

/** The documents Foundation ships (a test keeps this list equal to README.md and docs/). */
export const DOCUMENTS: readonly string[] = [
  'README.md',
  GUIDE,
  'docs/architecture.md',
  'docs/troubleshooting.md',
  'docs/faq.md',
  'docs/glossary.md',
  'docs/ci.md',
  'docs/compose.md',
  'docs/event-bus.md',
  'docs/observability.md',
  'docs/secrets.md',
  'docs/services.md',
  'docs/testing.md',
  'docs/validation.md',
  'docs/requirements.md',
];
