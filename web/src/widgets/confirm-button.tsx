import { useEffect, useRef, useState } from 'react';
import { Button, type ButtonProps } from './button.tsx';

export interface ConfirmButtonProps extends Omit<ButtonProps, 'onClick'> {
  /** The question shown in place of the button, e.g. "Revoke this token?" */
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
}

/**
 * A two-step button for destructive actions: the first click asks, the second acts. Inline
 * rather than window.confirm, which blocks the page and cannot be styled.
 */
export function ConfirmButton({
  question,
  confirmLabel,
  onConfirm,
  children,
  busy,
  ...rest
}: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  // The asking button replaces the one that had focus; hand focus on so keyboard users keep their place.
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  if (!asking && !busy) {
    return (
      <Button {...rest} onClick={() => setAsking(true)}>
        {children}
      </Button>
    );
  }
  return (
    <span className="inline-flex items-center gap-2">
      <span className="text-sm text-slate-600">{question}</span>
      <Button
        ref={confirmRef}
        size={rest.size}
        variant="danger"
        busy={busy}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </Button>
      {!busy && (
        <Button size={rest.size} variant="ghost" onClick={() => setAsking(false)}>
          Cancel
        </Button>
      )}
    </span>
  );
}

/** The small "Revoke" of a row (a token, a passkey, a delegation): asks "Revoke?" first. */
export function RevokeButton({
  label,
  busy,
  onConfirm,
}: {
  /** What is revoked, for screen readers: "Revoke token ci". */
  label: string;
  busy?: boolean;
  onConfirm: () => void;
}) {
  return (
    <ConfirmButton
      variant="ghost"
      size="sm"
      aria-label={label}
      question="Revoke?"
      confirmLabel="Revoke"
      busy={busy}
      onConfirm={onConfirm}
    >
      Revoke
    </ConfirmButton>
  );
}
