// Copies the assets tsc does not: icons next to the compiled node and credential.
const { src, dest, parallel } = require('gulp');

// encoding: false keeps binary icons (png) byte for byte.
const nodeIcons = () => src('nodes/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/nodes'));
const credentialIcons = () =>
	src('credentials/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/credentials'));

exports['build:icons'] = parallel(nodeIcons, credentialIcons);
