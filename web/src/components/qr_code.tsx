import { useEffect, useRef } from 'preact/hooks';
import './qr_code.css';

interface Props {
  /** Server-generated SVG markup (never user input). */
  svg: string;
  /** What the code holds, for screen readers ("認証アプリ用のQRコード"). */
  label: string;
  testId?: string;
  class?: string;
}

/**
 * A QR code drawn by the server, inserted as markup: the CSP allows no data: images, and the
 * SVG comes from our own server. The drawing scales with its box when it has a viewBox.
 */
export function QrCode({ svg, label, testId, class: className }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    box.current.innerHTML = svg;
    const element = box.current.querySelector('svg');
    if (element) {
      element.setAttribute('role', 'img');
      element.setAttribute('aria-label', label);
      if (element.hasAttribute('viewBox')) {
        element.removeAttribute('width');
        element.removeAttribute('height');
      }
    }
  }, [svg, label]);
  return <div class={className ? `qr ${className}` : 'qr'} ref={box} data-testid={testId} />;
}
