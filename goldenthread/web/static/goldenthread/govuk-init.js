// Starts GOV.UK Frontend's components (error summary focus, notification banners, skip link, radios and
// checkboxes that reveal more). govuk-frontend.min.js is copied here by `make install` (npm run build).
import { initAll } from "./govuk-frontend.min.js";
initAll();
