// whatsapp-web.js depends on puppeteer, which would download Chrome-for-Testing at
// install. Parley drives the system Chromium instead (CHROMIUM_PATH), and CI machines
// have no route to Google's download hosts.
module.exports = { skipDownload: true };
