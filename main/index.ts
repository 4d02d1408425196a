/** The Electron app entry (package.json "main": dist/main/main/index.js). */
import './electron/main.js';
