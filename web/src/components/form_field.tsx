import type { ComponentChildren, JSX } from 'preact';

interface FieldProps {
  /** The control's id; the label points at it and a hint gets "<id>-hint". */
  id: string;
  label: string;
  /** Help line under the control, announced with it. */
  hint?: string;
  value: string;
  onValue: (value: string) => void;
}

// Any other attribute (type, autocomplete, required, data-testid, aria-invalid …) goes to the control
// as given, after the ones set here.
type InputFieldProps = FieldProps & Omit<JSX.InputHTMLAttributes<HTMLInputElement>, keyof FieldProps | 'onInput'>;
type SelectFieldProps = FieldProps &
  Omit<JSX.SelectHTMLAttributes<HTMLSelectElement>, keyof FieldProps | 'onChange'> & { children: ComponentChildren };

/** A labelled text input (class "field"): label, input, optional hint. */
export function InputField({ id, label, hint, value, onValue, ...input }: InputFieldProps) {
  return (
    <Field id={id} label={label} hint={hint}>
      {(control) => <input {...control} value={value} onInput={(e) => onValue(e.currentTarget.value)} {...input} />}
    </Field>
  );
}

/** A one-time code from an authenticator app: digits, in the large spaced code font. */
export function OtpField(props: InputFieldProps) {
  return (
    <InputField
      name="otp"
      type="text"
      inputMode="numeric"
      autocomplete="one-time-code"
      pattern="[0-9]*"
      maxLength={8}
      class="input-code"
      {...props}
    />
  );
}

/** A labelled drop-down; the options are its children. */
export function SelectField({ id, label, hint, value, onValue, children, ...select }: SelectFieldProps) {
  return (
    <Field id={id} label={label} hint={hint}>
      {(control) => (
        <select {...control} value={value} onChange={(e) => onValue(e.currentTarget.value)} {...select}>
          {children}
        </select>
      )}
    </Field>
  );
}

/** Spaces typed or pasted into a one-time code are not part of it. */
export function otpValue(text: string): string {
  return text.replace(/\s+/g, '');
}

interface ControlIds {
  id: string;
  'aria-describedby'?: string;
}

/** The "field" frame: label, the control (given its id and the hint's id), hint. */
function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: (control: ControlIds) => ComponentChildren }) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children({ id, 'aria-describedby': hintId })}
      {hint ? (
        <p id={hintId} class="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
