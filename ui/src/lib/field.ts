// What the labelled form controls (CodeInput, SecretInput, RadioChoice,
// CheckChoice) have in common: an id, a visible label, a test id and an
// optional hint under the control, tied to it by aria-describedby.

export interface FieldProps {
  id: string;
  label: string;
  testid: string;
  hint?: string;
}

/** The id of a control's hint paragraph, unless the caller names another. */
export function hintId(id: string): string {
  return `${id}-hint`;
}

/** aria-describedby for a control: its hint's id when there is a hint. */
export function describedBy(id: string, hint: string | undefined, hintIdOverride?: string): string | undefined {
  return hint ? (hintIdOverride ?? hintId(id)) : undefined;
}
