import { createHash } from 'node:crypto';
import { currentLanguage, t } from '../i18n/i18n.js';
import { escapeHtml } from '../report/html/escape-html.js';

// `GET /login`: the one page served without the token. Its few styles are
// inline and allowed by their hash, since /dashboard.css needs the token.

const LOGIN_CSS =
  'body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2328}' +
  'main{max-width:380px;margin:12vh auto;padding:24px}h1{font-size:20px;margin:0 0 12px}' +
  'label{display:block;margin:16px 0 4px;font-weight:600}input{width:100%;box-sizing:border-box;font:inherit;padding:8px;border:1px solid #d0d7de;border-radius:6px}' +
  'button{margin-top:16px;width:100%;font:inherit;font-weight:600;padding:8px;border-radius:6px;border:1px solid #1f883d;background:#1f883d;color:#fff;cursor:pointer}' +
  '.error{color:#cf222e;font-weight:600}.note{color:#57606a;font-size:13px}';

/** The style-src the login page's Content-Security-Policy names. */
export const LOGIN_STYLE_HASH = `'sha256-${createHash('sha256').update(LOGIN_CSS).digest('base64')}'`;

export function loginPage(failed: boolean): string {
  const error = failed ? `<p class="error" id="login-error" role="alert">${escapeHtml(t('dashboard:login.wrong'))}</p>` : '';
  return `<!DOCTYPE html>
<html lang="${escapeHtml(currentLanguage())}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${escapeHtml(t('dashboard:login.title'))}</title>
<style>${LOGIN_CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(t('dashboard:login.title'))}</h1>
<p class="note">${escapeHtml(t('dashboard:login.explain'))}</p>
${error}
<form method="post" action="/login">
<label for="token">${escapeHtml(t('dashboard:login.token'))}</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">${escapeHtml(t('dashboard:login.submit'))}</button>
</form>
</main>
</body>
</html>
`;
}
