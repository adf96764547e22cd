/**
 * The message catalogs, one JSON file per namespace and language under
 * locales/. A new namespace: add its two files and one line to each map below
 * (English is the source: its keys type `t()`; the test checks that pt-BR
 * holds the same keys with the same placeholders).
 */
import enCommon from './locales/en/common.json' with { type: 'json' };
import enApi from './locales/en/api.json' with { type: 'json' };
import enCli from './locales/en/cli.json' with { type: 'json' };
import enConfig from './locales/en/config.json' with { type: 'json' };
import enDashboard from './locales/en/dashboard.json' with { type: 'json' };
import enDemo from './locales/en/demo.json' with { type: 'json' };
import enExecute from './locales/en/execute.json' with { type: 'json' };
import enHealth from './locales/en/health.json' with { type: 'json' };
import enHistory from './locales/en/history.json' with { type: 'json' };
import enHtml from './locales/en/html.json' with { type: 'json' };
import enNotify from './locales/en/notify.json' with { type: 'json' };
import enProgress from './locales/en/progress.json' with { type: 'json' };
import enReport from './locales/en/report.json' with { type: 'json' };
import enRun from './locales/en/run.json' with { type: 'json' };
import enServe from './locales/en/serve.json' with { type: 'json' };
import enSettings from './locales/en/settings.json' with { type: 'json' };
import enSnapshot from './locales/en/snapshot.json' with { type: 'json' };
import enState from './locales/en/state.json' with { type: 'json' };
import enStatus from './locales/en/status.json' with { type: 'json' };
import enWording from './locales/en/wording.json' with { type: 'json' };
import ptCommon from './locales/pt-BR/common.json' with { type: 'json' };
import ptApi from './locales/pt-BR/api.json' with { type: 'json' };
import ptCli from './locales/pt-BR/cli.json' with { type: 'json' };
import ptConfig from './locales/pt-BR/config.json' with { type: 'json' };
import ptDashboard from './locales/pt-BR/dashboard.json' with { type: 'json' };
import ptDemo from './locales/pt-BR/demo.json' with { type: 'json' };
import ptExecute from './locales/pt-BR/execute.json' with { type: 'json' };
import ptHealth from './locales/pt-BR/health.json' with { type: 'json' };
import ptHistory from './locales/pt-BR/history.json' with { type: 'json' };
import ptHtml from './locales/pt-BR/html.json' with { type: 'json' };
import ptNotify from './locales/pt-BR/notify.json' with { type: 'json' };
import ptProgress from './locales/pt-BR/progress.json' with { type: 'json' };
import ptReport from './locales/pt-BR/report.json' with { type: 'json' };
import ptRun from './locales/pt-BR/run.json' with { type: 'json' };
import ptServe from './locales/pt-BR/serve.json' with { type: 'json' };
import ptSettings from './locales/pt-BR/settings.json' with { type: 'json' };
import ptSnapshot from './locales/pt-BR/snapshot.json' with { type: 'json' };
import ptState from './locales/pt-BR/state.json' with { type: 'json' };
import ptStatus from './locales/pt-BR/status.json' with { type: 'json' };
import ptWording from './locales/pt-BR/wording.json' with { type: 'json' };

export const LANGUAGES = ['en', 'pt-BR'] as const;
export type Language = (typeof LANGUAGES)[number];

export const EN_CATALOG = {
  common: enCommon,
  api: enApi,
  cli: enCli,
  config: enConfig,
  dashboard: enDashboard,
  demo: enDemo,
  execute: enExecute,
  health: enHealth,
  history: enHistory,
  html: enHtml,
  notify: enNotify,
  progress: enProgress,
  report: enReport,
  run: enRun,
  serve: enServe,
  settings: enSettings,
  snapshot: enSnapshot,
  state: enState,
  status: enStatus,
  wording: enWording,
};

export type Namespace = keyof typeof EN_CATALOG;
export type Catalog = Record<Namespace, Record<string, string>>;

export const CATALOGS: Record<Language, Catalog> = {
  en: EN_CATALOG,
  'pt-BR': {
    common: ptCommon,
    api: ptApi,
    cli: ptCli,
    config: ptConfig,
    dashboard: ptDashboard,
    demo: ptDemo,
    execute: ptExecute,
    health: ptHealth,
    history: ptHistory,
    html: ptHtml,
    notify: ptNotify,
    progress: ptProgress,
    report: ptReport,
    run: ptRun,
    serve: ptServe,
    settings: ptSettings,
    snapshot: ptSnapshot,
    state: ptState,
    status: ptStatus,
    wording: ptWording,
  },
};
