'use strict';
// The migguard npm package carries no binary: each `bin` entry runs this
// shim, which finds the platform package npm installed for this machine
// (an optionalDependency of migguard, picked by its os, cpu and libc) and
// runs the binary it carries, with stdin, stdout and stderr inherited.
// Its exit code, or the signal that ended it, is passed on.
const { spawn } = require('child_process');
const path = require('path');

const PLATFORMS = {
	'linux x64': '@migguard/linux-x64-gnu',
	'linux arm64': '@migguard/linux-arm64-gnu',
	'darwin arm64': '@migguard/darwin-arm64',
	'darwin x64': '@migguard/darwin-x64',
};

function glibc() {
	const report = process.report && process.report.getReport();
	return !!(report && report.header && report.header.glibcVersionRuntime);
}

function fail(message) {
	process.stderr.write(`migguard: error: ${message}\n`);
	process.exit(2);
}

function binaryPath(name) {
	const key = `${process.platform} ${process.arch}`;
	const pkg = PLATFORMS[key];
	if (!pkg)
		fail(`no migguard binary is built for ${key}; build it from ` +
		     'source (install/install.sh in the migguard repository)');
	try {
		const dir = path.dirname(require.resolve(`${pkg}/package.json`));
		return path.join(dir, 'bin', name);
	} catch (err) {
		if (process.platform === 'linux' && !glibc())
			fail(`${pkg} needs glibc, which this system does not ` +
			     'have (musl?): build migguard from source');
		fail(`the platform package ${pkg} is not installed, so there ` +
		     'is no migguard binary to run. npm installs it with ' +
		     'migguard unless optional dependencies are left out ' +
		     '(--omit=optional, --no-optional, or a lockfile made on ' +
		     'another platform): reinstall with them, or add it: npm ' +
		     `install -D ${pkg}`);
	}
	return null;
}

module.exports = function run(name) {
	const bin = binaryPath(name);
	// migguard install writes hooks that call node_modules/.bin/migguard
	// when it was started through it.
	const env = Object.assign({}, process.env, {
		MIGGUARD_NODE_SHIM: process.argv[1] || '1',
	});
	const child = spawn(bin, process.argv.slice(2), { stdio: 'inherit', env });
	const forward = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
	const relay = (signal) => child.kill(signal);

	for (const signal of forward)
		process.on(signal, relay);
	child.on('error', (err) => fail(`cannot run ${bin}: ${err.message}`));
	child.on('exit', (code, signal) => {
		for (const s of forward)
			process.removeListener(s, relay);
		if (signal) {
			// Die the same way, so that git or a shell sees it.
			process.kill(process.pid, signal);
			return;
		}
		process.exit(code === null ? 2 : code);
	});
};
