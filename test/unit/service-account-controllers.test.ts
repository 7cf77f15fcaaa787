import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../../src/api/resources.js';
import { Informer } from '../../src/api/informer.js';
import { ServiceAccountController } from '../../src/apiserver/controllers/serviceaccount/serviceaccount-controller.js';
import { RootCAPublisher } from '../../src/apiserver/controllers/rootcacert/root-ca-publisher.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { until } from '../helpers/until.js';

const NAMESPACES = findByKind('Namespace')!;
const SAS = findByKind('ServiceAccount')!;
const CMS = findByKind('ConfigMap')!;
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

test('every active namespace gets a default ServiceAccount, made again when deleted', async () => {
  const { registry, client, done } = inProcessRegistry();
  const namespaces = new Informer(client, NAMESPACES);
  const sas = new Informer(client, SAS);
  const controller = new ServiceAccountController(client, namespaces, sas, () => {});
  try {
    namespaces.start();
    sas.start();
    const has = (ns: string) => () => !!registry.tryGet(SAS, ns, 'default');
    await until('default has its service account', has('default'));
    registry.create(NAMESPACES, undefined, { metadata: { name: 'team-a' } });
    await until('team-a has its service account', has('team-a'));
    const uid = registry.get(SAS, 'team-a', 'default').metadata.uid;
    registry.delete(SAS, 'team-a', 'default');
    await until('it is back', () => registry.tryGet(SAS, 'team-a', 'default')?.metadata.uid !== undefined && registry.get(SAS, 'team-a', 'default').metadata.uid !== uid);
    // Another service account going away changes nothing.
    registry.create(SAS, 'team-a', { metadata: { name: 'robot' } });
    registry.delete(SAS, 'team-a', 'robot');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(registry.tryGet(SAS, 'team-a', 'robot'), undefined);
    // A namespace being deleted gets nothing new.
    registry.create(NAMESPACES, undefined, { metadata: { name: 'leaving', finalizers: [] }, spec: { finalizers: ['kubernetes'] } });
    await until('leaving has its service account', has('leaving'));
    registry.delete(NAMESPACES, undefined, 'leaving');
    registry.delete(SAS, 'leaving', 'default');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(registry.tryGet(SAS, 'leaving', 'default'), undefined);
  } finally {
    controller.queue.stop();
    namespaces.stop();
    sas.stop();
    done();
  }
});

test('kube-root-ca.crt holds the CA in every namespace and is restored when changed or deleted', async () => {
  const { registry, client, done } = inProcessRegistry();
  const namespaces = new Informer(client, NAMESPACES);
  const cms = new Informer(client, CMS, undefined, { metadataOnly: true });
  const publisher = new RootCAPublisher(client, namespaces, cms, CA, () => {});
  try {
    namespaces.start();
    cms.start();
    const published = (ns: string) => () => registry.tryGet(CMS, ns, 'kube-root-ca.crt')?.data?.['ca.crt'] === CA;
    await until('default has the CA', published('default'));
    const cm = registry.get(CMS, 'default', 'kube-root-ca.crt');
    assert.deepEqual(Object.keys(cm.data), ['ca.crt']);
    assert.match(cm.metadata.annotations?.['kubernetes.io/description'] ?? '', /^Contains a CA bundle that can be used to verify the kube-apiserver/);
    registry.create(NAMESPACES, undefined, { metadata: { name: 'team-b' } });
    await until('team-b has the CA', published('team-b'));
    registry.update(CMS, 'team-b', 'kube-root-ca.crt', { ...registry.get(CMS, 'team-b', 'kube-root-ca.crt'), data: { 'ca.crt': 'forged', extra: 'x' } });
    await until('the change is undone', () => {
      const data = registry.tryGet(CMS, 'team-b', 'kube-root-ca.crt')?.data;
      return data?.['ca.crt'] === CA && data.extra === undefined;
    });
    registry.delete(CMS, 'team-b', 'kube-root-ca.crt');
    await until('it is back after deletion', published('team-b'));
  } finally {
    publisher.queue.stop();
    namespaces.stop();
    cms.stop();
    done();
  }
});
