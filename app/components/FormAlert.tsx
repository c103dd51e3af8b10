// The form-wide error of a public page (review, survey): read out by screen readers, styled by the
// page's `.error` rule; nothing when there is none.
export function FormAlert({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}
