// QR codes for the OAuth helper, drawn as SVG by the qrcode library and shown through a
// data: URL, which the window's CSP allows for images.
import QRCode from 'qrcode';

/** Encodes `text` as a QR code and returns it as an SVG data: URL. */
export async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
