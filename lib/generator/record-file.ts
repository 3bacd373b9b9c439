/** The file a generated service records its template version and answers in (a module of its own: cheap to load). */
export const RECORD_FILE = '.foundation-template.json';
