// electron-builder hook, run once Electron is laid out and before the app is copied in. A
// downloaded Electron has its start page (default_app.asar) and version file removed by
// electron-builder; a local one (--electron-dist) keeps them, so they are removed here.
const { rm } = require('node:fs/promises');
const path = require('node:path');

async function afterExtract(context) {
  const mac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  const resources = mac ? path.join(context.appOutDir, 'Electron.app', 'Contents', 'Resources') : path.join(context.appOutDir, 'resources');
  await rm(path.join(resources, 'default_app.asar'), { force: true });
  await rm(path.join(context.appOutDir, 'version'), { force: true });
}

module.exports = { afterExtract, default: afterExtract };
