/**
 * Words that, right after a number, make it a quantity rather than an identifier: "100-1200 mg",
 * "on 1/2 tablet", "I am 95 percent sure". Detectors whose shapes collide with dosages and counts
 * put this in a negative lookahead.
 */
export const QUANTITY_UNIT = String.raw`\s{0,2}(?:%|percent\b|mg\b|mcg\b|µg\b|ug\b|g\b|grams?\b|kg\b|lbs?\b|pounds?\b|oz\b|ml\b|mls\b|cc\b|l\b|liters?\b|litres?\b|units?\b|iu\b|tabs?\b|tablets?\b|pills?\b|caps?\b|capsules?\b|doses?\b|drops?\b|puffs?\b|cups?\b|spoons?\b|teaspoons?\b|tablespoons?\b|tsp\b|tbsp\b|mmhg\b|mmol\b|bpm\b|minutes?\b|mins?\b|hours?\b|hrs?\b|seconds?\b|secs?\b|days?\b|weeks?\b|wks?\b|months?\b|years?\b|yrs?\b|times\b|steps\b|miles?\b|km\b|meters?\b|feet\b|ft\b|inches\b|cm\b|mm\b|degrees?\b|°|calories\b|kcal\b|reps?\b|sets?\b|people\b|patients\b|visits?\b|dollars?\b|usd\b)`;
