import * as fs from "fs";

/**
 * The browser the review pack's renderer and its end-to-end test drive: the system's Chromium
 * (Debian's `chromium` package), never one downloaded at install time. CHROMIUM_PATH overrides.
 */
export const defaultChromium = "/usr/bin/chromium";

export function chromiumPath(): string {
    const file = process.env.CHROMIUM_PATH ?? defaultChromium;
    if (!fs.existsSync(file)) {
        throw new Error(`no Chromium at ${file}: the review pack's SVG and its browser test need one (Debian: apt-get install -y chromium; or set CHROMIUM_PATH)`);
    }
    return file;
}
