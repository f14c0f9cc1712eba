// Stands in for packages a bundled dependency loads but modelgov never uses (see scripts/build.mjs).
/* global module */
module.exports = {};
