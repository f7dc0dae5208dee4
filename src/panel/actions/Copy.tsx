// "Copy as PowerShell / Graph request": the clipboard where the page allows it, else a visible text box with
// the text selected, so the admin can copy it by hand (never silently nothing).
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { TESTIDS } from '../testids';

export type WriteClipboard = (text: string) => Promise<void>;

export const defaultClipboard: WriteClipboard = (text) =>
  typeof navigator !== 'undefined' && navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject(new Error('no clipboard'));

export interface CopyButtonProps {
  label: string;
  testid: string;
  /** Built when clicked (scripts of large selections are not built on every render). */
  text(): string | Promise<string>;
  title?: string;
  writeClipboard?: WriteClipboard;
}

export function CopyButton(props: CopyButtonProps): JSX.Element {
  const [fallback, setFallback] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (fallback !== null) area.current?.select();
  }, [fallback]);

  const copy = async (): Promise<void> => {
    const text = await props.text();
    try {
      await (props.writeClipboard ?? defaultClipboard)(text);
      setFallback(null);
      setCopied(true);
    } catch {
      setCopied(false);
      setFallback(text);
    }
  };

  return (
    <>
      <button type="button" data-testid={props.testid} title={props.title} onClick={() => void copy()}>
        {props.label}
      </button>
      {copied ? (
        <span role="status" class="act-note">
          {t('copy_done')}
        </span>
      ) : null}
      {fallback !== null ? (
        <div class="act-fallback" data-testid={TESTIDS.copyFallback}>
          <span role="status">{t('copy_blocked')}</span>
          <textarea ref={area} readOnly value={fallback} aria-label={t('copy_textLabel', { label: props.label })} />
          <button type="button" onClick={() => setFallback(null)}>
            {t('copy_close')}
          </button>
        </div>
      ) : null}
    </>
  );
}
