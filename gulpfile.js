// Copies the assets tsc does not: icons next to the compiled node and credential.
const { rmSync } = require('node:fs');
const { src, dest, parallel } = require('gulp');

// encoding: false keeps binary icons (png) byte for byte.
const nodeIcons = () => src('nodes/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/nodes'));
const credentialIcons = () =>
	src('credentials/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/credentials'));

exports['build:icons'] = parallel(nodeIcons, credentialIcons);

// A fresh dist, so a file removed from the sources cannot linger in the package.
exports.clean = async function clean() {
	rmSync('dist', { recursive: true, force: true });
};
