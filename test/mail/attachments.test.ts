// Letters sent as attachments (.txt, .docx, .odt, .pdf): generated here, read back
// through readInbound, marked fromAttachment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync, strToU8 } from 'fflate';
import { readInbound, bodyPointsToAttachment } from '../../src/mail/index.ts';

const LETTER = 'Dear Editor, the tram line must be finished before the council asks for more money.';

function mail(body: string, filename: string, contentType: string, bytes: Uint8Array): Uint8Array {
  const b64 = Buffer.from(bytes).toString('base64').replace(/.{76}/g, '$&\r\n');
  const s = [
    'From: "Pike, Gordon" <gpike@example.com>', 'To: letters@review.example.com', 'Subject: My letter',
    'Message-ID: <att1@example.com>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="zz"', '',
    '--zz', 'Content-Type: text/plain; charset=utf-8', '', body, '--zz',
    `Content-Type: ${contentType}; name="${filename}"`, `Content-Disposition: attachment; filename="${filename}"`,
    'Content-Transfer-Encoding: base64', '', b64, '--zz--', '',
  ].join('\r\n');
  return new TextEncoder().encode(s);
}

function docx(text: string): Uint8Array {
  return zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
    '_rels/.rels': strToU8('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
    'word/document.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p><w:p><w:r><w:t>Gordon Pike</w:t></w:r></w:p></w:body></w:document>`),
  });
}

function odt(text: string): Uint8Array {
  return zipSync({
    mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }],
    'content.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>${text.replace(/&/g, '&amp;')}</text:p><text:p>Gordon<text:s/>Pike</text:p></office:text></office:body></office:document-content>`),
  });
}

/** A minimal one-page PDF with the text in Helvetica, with a correct xref table. */
function pdf(text: string): Uint8Array {
  const esc = text.replace(/[\\()]/g, '\\$&');
  const stream = `BT /F1 11 Tf 40 760 Td (${esc}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n` + offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

const CASES: Array<[string, string, Uint8Array]> = [
  ['letter.txt', 'text/plain', new TextEncoder().encode(LETTER + '\n\nGordon Pike\n')],
  ['letter.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', docx(LETTER)],
  ['letter.odt', 'application/vnd.oasis.opendocument.text', odt(LETTER)],
  ['letter.pdf', 'application/pdf', pdf(LETTER)],
];

for (const [name, type, bytes] of CASES) {
  test(`letter taken from an attached ${name.split('.').pop()} when the body only points to it`, async () => {
    const r = await readInbound(mail('Please find my letter attached.\r\n\r\nGordon', name, type, bytes));
    assert.ok(r.ok, r.ok ? '' : r.reason);
    if (!r.ok) return;
    assert.equal(r.kind, 'letter');
    assert.equal(r.fromAttachment, name, r.warnings.join('; '));
    assert.match(r.body, /the tram line must be finished before the council asks for more money/);
    assert.equal(r.writer.name, 'Gordon Pike');
    assert.equal(r.attachments.length, 1);
    assert.equal(r.attachments[0]!.filename, name);
    assert.match(r.attachments[0]!.sha256, /^[0-9a-f]{64}$/);
  });
}

test('a real body is kept and the attachment only listed', async () => {
  const body = 'Dear Editor,\r\n\r\nI have written my whole letter here in the body, and I attach my notes on sources for your fact-checkers, in case they want them.\r\n\r\nGordon Pike';
  const r = await readInbound(mail(body, 'notes.txt', 'text/plain', new TextEncoder().encode('notes')));
  assert.ok(r.ok);
  if (r.ok) {
    assert.equal(r.fromAttachment, undefined);
    assert.match(r.body, /whole letter here/);
  }
});

test('bodyPointsToAttachment', () => {
  assert.equal(bodyPointsToAttachment(''), true);
  assert.equal(bodyPointsToAttachment('Ci-joint ma lettre.'), true);
  assert.equal(bodyPointsToAttachment('Anbei mein Leserbrief.'), true);
  assert.equal(bodyPointsToAttachment('The council should publish a timetable now, and name who is responsible.'), false);
});
