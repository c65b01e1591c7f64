/**
 * The dashboard's only script (progressive: every page works without it). It redraws the
 * signature comparison as the text is typed or pasted, and submits filter selects on change.
 */
export const uiScript = `'use strict';
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
    select.addEventListener('change', function () { select.form.submit(); });
  });
  var input = document.getElementById('client-signed');
  var server = document.getElementById('server-signed');
  var table = document.getElementById('signature-diff');
  var summary = document.getElementById('diff-summary');
  if (!input || !server || !table || !summary) return;
  function lines(text) { return text.replace(/\\r\\n?/g, '\\n').split('\\n'); }
  function cell(row, text, differs) {
    var td = row.insertCell();
    var code = document.createElement('code');
    code.textContent = text === undefined ? '(no line)' : text;
    td.appendChild(code);
    if (differs) td.className = 'differs';
  }
  function redraw() {
    var a = lines(input.value), b = lines(server.textContent);
    var body = table.tBodies[0];
    body.replaceChildren();
    var first = null;
    for (var i = 0; i < Math.max(a.length, b.length); i++) {
      var differs = a[i] !== b[i];
      if (differs && first === null) first = i + 1;
      var row = body.insertRow();
      if (differs && first === i + 1) row.className = 'first';
      row.insertCell().textContent = String(i + 1);
      cell(row, a[i], differs);
      cell(row, b[i], differs);
    }
    summary.textContent = input.value === '' ? 'Paste what your client signed to compare.' : first === null ? 'The texts are identical.' : 'First differing line: ' + first;
  }
  input.addEventListener('input', redraw);
});
`;
