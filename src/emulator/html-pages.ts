// HTML bodies seen in front of the real servers: Werkzeug's own error pages,
// the hosting proxy's pages while a free-tier instance sleeps or fails, and a
// tunnel's "origin down" page. None of them is JSON.

export interface HtmlPage {
  readonly status: number;
  readonly html: string;
}

function werkzeugPage(status: number, title: string, description: string): HtmlPage {
  return {
    status,
    html: `<!doctype html>\n<html lang=en>\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${description}</p>\n`,
  };
}

function proxyPage(status: number, title: string, detail: string): HtmlPage {
  return {
    status,
    html:
      `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${status} ${title}</title>` +
      `<style>body{font-family:sans-serif;margin:4em}</style></head>` +
      `<body><h1>${status} ${title}</h1><p>${detail}</p></body></html>\n`,
  };
}

export const NOT_FOUND_PAGE = werkzeugPage(
  404,
  'Not Found',
  'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
);

export const METHOD_NOT_ALLOWED_PAGE = werkzeugPage(405, 'Method Not Allowed', 'The method is not allowed for the requested URL.');

export const INTERNAL_SERVER_ERROR_PAGE = werkzeugPage(
  500,
  'Internal Server Error',
  'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.',
);

export const BAD_GATEWAY_PAGE = proxyPage(502, 'Bad Gateway', 'The upstream service did not answer. Please try again.');

export const SERVICE_WAKING_PAGE = proxyPage(
  503,
  'Service Unavailable',
  'This service is waking up from sleep. Your request will be served once it is running.',
);

export const GATEWAY_TIMEOUT_PAGE = proxyPage(504, 'Gateway Timeout', 'The upstream service took too long to answer.');

export const TOO_MANY_REQUESTS_PAGE = werkzeugPage(429, 'Too Many Requests', 'Rate limit exceeded. Please slow down.');

export const TUNNEL_ORIGIN_DOWN_PAGE: HtmlPage = {
  status: 530,
  html:
    '<!DOCTYPE html><html lang="en-US"><head><title>Cloudflare Tunnel error | Error 1033</title></head>' +
    '<body><div id="cf-error-details"><h1><span>Error</span> <span>1033</span></h1>' +
    '<h2>Cloudflare Tunnel error</h2><p>The host is configured as a Cloudflare Tunnel, ' +
    'and Cloudflare is currently unable to resolve it.</p></div></body></html>\n',
};

/** Werkzeug's redirect page (`merge_slashes`, `strict_slashes`). */
export function redirectPage(location: string): HtmlPage {
  const href = location.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    status: 308,
    html: `<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href="${href}">${href}</a>. If not, click the link.\n`,
  };
}
