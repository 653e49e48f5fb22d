// Builds Golden Thread's one stylesheet, goldenthread/web/static/goldenthread/app.css, from app.scss
// (GOV.UK Frontend's Sass, with the GDS Transport font and the crown left out), and copies
// GOV.UK Frontend's JavaScript beside it. `make install` runs this after `npm ci`; the outputs are
// not committed (see .gitignore).
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const out = join(here, "..", "static", "goldenthread");
mkdirSync(out, { recursive: true });

const result = sass.compile(join(here, "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "color-functions", "slash-div"],
});
writeFileSync(join(out, "app.css"), result.css + "\n");
copyFileSync(
  join(root, "node_modules", "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"),
  join(out, "govuk-frontend.min.js"),
);
console.log(`wrote ${join(out, "app.css")} (${result.css.length} bytes) and govuk-frontend.min.js`);
