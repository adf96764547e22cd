// PM2 ecosystem file for `sync-dbs serve` (see schedule/README.md, "PM2"):
//   pm2 start schedule/ecosystem.config.cjs && pm2 save
// The settings (server URLs, users, passwords, SYNC_DBS_PORT...) stay in the
// settings file named by SYNC_DBS_ENV_FILE, never here.
'use strict';

const os = require('node:os');
const path = require('node:path');

const envFile = process.env.SYNC_DBS_ENV_FILE || path.join(os.homedir(), '.config', 'sync-dbs', 'sync-dbs.env');

module.exports = {
  apps: [
    {
      name: 'sync-dbs-serve',
      cwd: path.join(__dirname, '..'),
      script: 'dist/cli/main.js',
      args: ['serve', '--quiet'],
      interpreter: 'node',
      // One process: two would share the lock but watch and post everything twice.
      instances: 1,
      exec_mode: 'fork',
      env: { SYNC_DBS_ENV_FILE: envFile },
      // pm2 stop sends SIGINT, then SIGKILL after kill_timeout: give the run in
      // progress time to finish its operations in flight (PM2's default is 1.6 s).
      kill_timeout: 300000,
      // Exit 2 is a configuration error (restarting cannot fix it); 0 and 6 are clean stops.
      stop_exit_codes: [0, 2, 6],
      autorestart: true,
      restart_delay: 30000,
      max_restarts: 10,
      min_uptime: '1m',
      // sync-dbs stamps its own log lines with the time.
      time: false,
    },
  ],
};
