// The Docker client against the real engine (scripts/ensure-docker.sh starts it): the offline
// images, a container's life with its logs, execs and events, image builds, networks, and the
// pause image's stop. Everything made here carries this run's label and is removed at the end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BUSYBOX_IMAGE, PAUSE_IMAGE } from '../../src/api/images.js';
import { DockerClient, eventExitCode } from '../../src/nodeagent/docker/docker-client.js';
import { DockerError, DockerUnavailableError, isNotFound } from '../../src/nodeagent/docker/errors.js';
import { OFFLINE_IMAGES, prepareOfflineImages } from '../../src/nodeagent/docker/offline-images.js';
import { collectOutput } from '../../src/nodeagent/docker/output-stream.js';
import { createTar } from '../../src/api/tar-archive.js';
import type { DockerEvent } from '../../src/nodeagent/docker/types.js';

const RUN = `${process.pid}-${Date.now()}`;
const LABELS = { 'kctl.test': RUN };
const LABEL_FILTER = [`kctl.test=${RUN}`];
const BUILT_IMAGE = `kctl-test/built:${RUN}`;

async function* lines(...texts: string[]): AsyncGenerator<Buffer> {
  for (const text of texts) yield Buffer.from(text);
}

async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('Docker client against the engine', { timeout: 60_000 }, () => {
  const docker = new DockerClient();

  before(async () => {
    await prepareOfflineImages(docker);
  });

  after(async () => {
    try {
      for (const c of await docker.listContainers({ all: true, filters: { label: LABEL_FILTER } })) {
        await docker.removeContainer(c.Id, { force: true, volumes: true });
      }
      for (const n of await docker.listNetworks({ filters: { label: LABEL_FILTER } })) await docker.removeNetwork(n.Id);
      await docker.removeImage(BUILT_IMAGE).catch((err) => assert.ok(isNotFound(err), err));
    } finally {
      await docker.close();
    }
  });

  const run = async (cmd: string[], image = BUSYBOX_IMAGE, labels: Record<string, string> = {}) => {
    const { Id } = await docker.createContainer({ Image: image, Cmd: cmd, Labels: { ...LABELS, ...labels } });
    await docker.startContainer(Id);
    return Id;
  };

  test('the engine answers its version and info', async () => {
    await docker.ping();
    const version = await docker.version();
    assert.match(version.ApiVersion, /^1\.\d+$/);
    assert.ok(Number(version.ApiVersion.split('.')[1]) >= 41, `API ${version.ApiVersion}`);
    const info = await docker.info();
    assert.ok(info.NCPU > 0 && info.MemTotal > 0);
  });

  test('a missing socket says how to start the engine', async () => {
    const nowhere = new DockerClient({ socketPath: '/nonexistent/docker.sock' });
    try {
      await assert.rejects(nowhere.ping(), (err: Error) => {
        assert.ok(err instanceof DockerUnavailableError);
        assert.equal(err.message, 'no Docker engine answers on /nonexistent/docker.sock: run scripts/ensure-docker.sh');
        return true;
      });
    } finally {
      await nowhere.close();
    }
  });

  test('an unknown object is a 404 with the engine message', async () => {
    await assert.rejects(docker.inspectContainer(`kctl-missing-${RUN}`), (err: Error) => {
      assert.ok(err instanceof DockerError && isNotFound(err));
      assert.equal(err.statusCode, 404);
      assert.match(err.message, /No such container: kctl-missing-/);
      return true;
    });
    await assert.rejects(docker.inspectImage(`kctl-missing/image:${RUN}`), isNotFound);
  });

  test('prepare is idempotent and the images are what pods expect', async () => {
    const first = await prepareOfflineImages(docker);
    const second = await prepareOfflineImages(docker);
    assert.deepEqual(
      second.map((p) => [p.image, p.built]),
      OFFLINE_IMAGES.map((image) => [image, false]),
    );
    assert.deepEqual(
      second.map((p) => p.id),
      first.map((p) => p.id),
    );
    const busybox = await docker.inspectImage(BUSYBOX_IMAGE);
    assert.deepEqual(busybox.Config.Cmd, ['sh']);
    assert.ok(busybox.Config.Env?.some((e) => e.startsWith('PATH=') && e.includes('/bin')));

    const id = await run(['sh', '-c', 'id nobody; ls -d /tmp /root; which wget sh']);
    assert.equal((await docker.waitContainer(id)).StatusCode, 0);
    const { stdout, stderr } = await collectOutput(await docker.containerLogs(id));
    assert.equal(stderr, '');
    assert.equal(stdout, 'uid=65534(nobody) gid=65534(nobody) groups=65534(nobody)\n/root\n/tmp\n/usr/bin/wget\n/bin/sh\n');
  });

  test('a container: events, logs, exec with and without stdin, exit code, removal', async () => {
    const events = await docker.events({ filters: { type: ['container'], event: ['start', 'die'], label: LABEL_FILTER } });
    const seen: DockerEvent[] = [];
    const watching = (async () => {
      for await (const event of events) {
        seen.push(event);
        if (event.Action === 'die') return;
      }
    })();
    try {
      // Writes to stderr, then (later, for a known order in the log) to stdout, and exits 7 on SIGTERM.
      const script = 'trap "exit 7" TERM; echo oops >&2; sleep 0.1; echo hello; while :; do sleep 1 & wait; done';
      const id = await run(['sh', '-c', script], BUSYBOX_IMAGE, { 'kctl.test.case': 'lifecycle' });
      const following = collectOutput(await docker.containerLogs(id, { follow: true }));

      // What the exec prints after its stdin has ended must still arrive.
      const cat = ['sh', '-c', 'cat; echo stdin closed'];
      const echoed = await docker.createExec(id, { Cmd: cat, AttachStdin: true, AttachStdout: true, AttachStderr: true });
      assert.deepEqual(await collectOutput(await docker.startExec(echoed, { stdin: lines('from ', 'stdin\n') })), {
        stdout: 'from stdin\nstdin closed\n',
        stderr: '',
      });
      assert.equal(await docker.execExitCode(echoed), 0);
      assert.equal((await docker.inspectExec(echoed)).ProcessConfig.entrypoint, 'sh');

      assert.deepEqual(await docker.exec(id, { Cmd: ['sh', '-c', 'echo to-err >&2; exit 5'] }), {
        stdout: '',
        stderr: 'to-err\n',
        exitCode: 5,
      });

      // A TTY's output is not multiplexed, and the terminal turns \n into \r\n.
      assert.deepEqual(await docker.exec(id, { Cmd: ['sh', '-c', 'echo on a tty >&2; exit 3'], Tty: true }), {
        stdout: 'on a tty\r\n',
        stderr: '',
        exitCode: 3,
      });

      await docker.killContainer(id, 'SIGTERM');
      assert.deepEqual(await docker.waitContainer(id), { StatusCode: 7, Error: null });
      assert.deepEqual(await within(5000, 'followed logs end with the container', following), { stdout: 'hello\n', stderr: 'oops\n' });
      await within(5000, 'the die event', watching);
      assert.deepEqual(
        seen.map((e) => [e.Action, e.Actor.ID, e.Actor.Attributes['kctl.test']]),
        [
          ['start', id, RUN],
          ['die', id, RUN],
        ],
      );
      assert.equal(eventExitCode(seen[1]), 7);

      const last = await collectOutput(await docker.containerLogs(id, { tail: 1, timestamps: true, tty: false }));
      assert.equal(last.stderr, '');
      assert.match(last.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z hello\n$/);

      const inspect = await docker.inspectContainer(id);
      assert.equal(inspect.State.ExitCode, 7);
      assert.deepEqual(inspect.Config.Labels, { ...LABELS, 'kctl.test.case': 'lifecycle' });
      const listed = await docker.listContainers({ all: true, filters: { label: [...LABEL_FILTER, 'kctl.test.case=lifecycle'] } });
      assert.deepEqual(
        listed.map((c) => [c.Id, c.State]),
        [[id, 'exited']],
      );
      await docker.removeContainer(id);
      await assert.rejects(docker.inspectContainer(id), isNotFound);
    } finally {
      events.close();
      await watching;
    }
  });

  test('an exec in a stopped container is refused with the engine message', async () => {
    const id = await run(['true']);
    await docker.waitContainer(id);
    await assert.rejects(docker.exec(id, { Cmd: ['true'] }), (err: Error) => {
      assert.ok(err instanceof DockerError);
      assert.equal(err.statusCode, 409);
      assert.match(err.message, /is not running/);
      return true;
    });
  });

  for (const { how, stop } of [
    { how: 'stop (SIGTERM)', stop: (id: string) => docker.stopContainer(id, { timeoutSeconds: 10 }) },
    { how: 'kill SIGINT', stop: (id: string) => docker.killContainer(id, 'SIGINT') },
  ]) {
    test(`the pause image exits 0 at once on ${how}`, async () => {
      const id = await run([], PAUSE_IMAGE);
      assert.equal((await docker.inspectContainer(id)).State.Running, true);
      const started = performance.now();
      await stop(id);
      assert.deepEqual(await docker.waitContainer(id), { StatusCode: 0, Error: null });
      const ms = performance.now() - started;
      assert.ok(ms < 2000, `stopped in ${Math.round(ms)} ms`);
    });
  }

  test('stopping a stopped container and starting a started one are no errors', async () => {
    const id = await run([], PAUSE_IMAGE);
    await docker.startContainer(id);
    await docker.stopContainer(id);
    await docker.stopContainer(id);
    assert.equal((await docker.inspectContainer(id)).State.Running, false);
  });

  test('an image build, and a failed step reported inside its 200 stream', async () => {
    const dockerfile = `FROM ${BUSYBOX_IMAGE}\nCOPY greeting /greeting\nCMD ["cat", "/greeting"]\n`;
    const context = createTar([
      { type: 'file', path: 'Dockerfile', content: dockerfile },
      { type: 'file', path: 'greeting', content: 'built\n' },
    ]);
    const built = await docker.buildImage(context, { tag: BUILT_IMAGE, labels: LABELS });
    assert.match(built.output, /Successfully tagged/);
    const image = await docker.inspectImage(BUILT_IMAGE);
    assert.equal(image.Id, built.id);
    assert.equal(image.Config.Labels?.['kctl.test'], RUN);
    const id = await run([], BUILT_IMAGE);
    await docker.waitContainer(id);
    assert.equal((await collectOutput(await docker.containerLogs(id))).stdout, 'built\n');

    const broken = createTar([{ type: 'file', path: 'Dockerfile', content: `FROM ${BUSYBOX_IMAGE}\nCOPY missing /missing\n` }]);
    await assert.rejects(docker.buildImage(broken, { tag: `${BUILT_IMAGE}-broken` }), (err: Error) => {
      assert.ok(err instanceof DockerError);
      assert.match(err.message, /COPY failed: .*missing/);
      return true;
    });
  });

  test('a network: create, connect, inspect, disconnect, remove', async () => {
    const { Id: network } = await docker.createNetwork({ Name: `kctl-test-${RUN}`, Driver: 'bridge', Labels: LABELS });
    const id = await run([], PAUSE_IMAGE);
    await docker.connectNetwork(network, id, { Aliases: ['sandbox'] });
    const inspect = await docker.inspectNetwork(network);
    assert.deepEqual(Object.keys(inspect.Containers ?? {}), [id]);
    const address = (await docker.inspectContainer(id)).NetworkSettings.Networks[`kctl-test-${RUN}`]?.IPAddress;
    assert.match(address ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    await docker.disconnectNetwork(network, id);
    await docker.removeNetwork(network);
    await assert.rejects(docker.inspectNetwork(network), isNotFound);
  });
});
