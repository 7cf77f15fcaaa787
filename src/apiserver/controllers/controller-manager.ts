// Runs the controllers inside the daemon, each talking to the API through an ApiClient and
// reading through informers shared by resource type.
import type { ApiClient } from '../../api/client.js';
import type { ResourceType } from '../../api/resources.js';
import { findByKind } from '../../api/resources.js';
import type { Informer } from '../../api/informer.js';
import { SharedInformers } from '../../api/shared-informers.js';
import { NamespaceController } from './namespace/namespace-controller.js';
import { GarbageCollector } from './garbage-collector/garbage-collector.js';
import { ServiceAccountController } from './serviceaccount/serviceaccount-controller.js';
import { RootCAPublisher } from './rootcacert/root-ca-publisher.js';
import { JobController } from './job/job-controller.js';
import { CronJobController } from './cronjob/cronjob-controller.js';
import { TtlAfterFinishedController } from './ttl-after-finished/ttl-after-finished-controller.js';
import { REPLICA_SET, REPLICATION_CONTROLLER } from './replicaset/replicated-kind.js';
import { ReplicaSetController } from './replicaset/replicaset-controller.js';
import { DeploymentController } from './deployment/deployment-controller.js';
import { DaemonSetController } from './daemonset/daemonset-controller.js';
import { StatefulSetController } from './statefulset/statefulset-controller.js';
import { DEFAULT_NODE_MONITOR_GRACE_PERIOD_SECONDS, startNodeControllers } from './node-lifecycle/node-controllers.js';
import { EndpointsController } from './endpoints/endpoints-controller.js';
import { EndpointSliceController } from './endpointslice/endpointslice-controller.js';
import { ServiceLoadBalancerController } from './service-lb/service-lb-controller.js';
import { KubernetesServiceController, type KubernetesServiceOptions } from './kubernetes-service/kubernetes-service-controller.js';
import { CsrApprover } from './certificates/csr-approver.js';
import { CsrSigner, type SignerOptions } from './certificates/csr-signer.js';
import { BootstrapSigner } from './bootstrap/bootstrap-signer.js';
import { ClusterDnsServiceController } from './cluster-dns-service/cluster-dns-service-controller.js';
import { NodeIpamController, type NodeIpamOptions } from './node-ipam/node-ipam-controller.js';
import { PersistentVolumeController } from './persistentvolume/persistentvolume-controller.js';
import { CrdNamingController } from './customresourcedefinition/naming-controller.js';
import { CrdFinalizerController } from './customresourcedefinition/finalizer-controller.js';
import { ClusterRoleAggregationController } from './clusterrole-aggregation/clusterrole-aggregation-controller.js';
import { DisruptionController } from './disruption/disruption-controller.js';
import { ResourceQuotaController } from './resourcequota/resourcequota-controller.js';
import { ClusterAutoscaler, type ClusterAutoscalerOptions } from './cluster-autoscaler/cluster-autoscaler-controller.js';
import type { NodeGroupProvider } from './cluster-autoscaler/node-group-provider.js';
import { HorizontalPodAutoscalerController, type HpaOptions, type PodUsageSource } from './horizontalpodautoscaler/hpa-controller.js';

export interface ControllerManagerOptions {
  /** The CA bundle (PEM) published to every namespace as kube-root-ca.crt; absent, nothing is published. */
  rootCA?: string;
  /** How long a node may go without a heartbeat before it counts as unreachable (default 40). */
  nodeMonitorGracePeriodSeconds?: number;
  /** The `default/kubernetes` Service leading to this API server; absent, none is kept. */
  kubernetesService?: KubernetesServiceOptions;
  /** The cluster CA that signs approved client CSRs; absent, CSRs are approved but never signed. */
  certificateSigner?: SignerOptions;
  /** The `kube-system/kube-dns` Service's cluster IP; absent, none is kept. */
  clusterDnsIP?: string;
  /** --allocate-node-cidrs: each Node gets a pod range of the cluster CIDR; absent, none is given. */
  nodeIpam?: NodeIpamOptions;
  /** The pods' measured usage the autoscaler compares with its targets; absent, no autoscaler runs. */
  podUsage?: PodUsageSource;
  /** The autoscaler's sync period and default scale-down window. */
  hpa?: HpaOptions;
  /** Node groups and the provider that starts and stops their nodes; absent (or no groups), no cluster autoscaler runs. */
  clusterAutoscaler?: { provider: NodeGroupProvider; options: ClusterAutoscalerOptions };
}

export class ControllerManager {
  private readonly informers: SharedInformers;
  private readonly stops: Array<() => void> = [];

  constructor(
    private readonly client: ApiClient,
    private readonly log: (msg: string) => void,
    private readonly opts: ControllerManagerOptions = {},
    /** The daemon's informers, shared with its authorizer; absent, the controllers get their own. */
    informers?: SharedInformers,
  ) {
    this.informers = informers ?? new SharedInformers(client, log);
  }

  private informer(r: ResourceType): Informer {
    return this.informers.informer(r);
  }

  private metadataInformer(r: ResourceType): Informer {
    return this.informers.metadataInformer(r);
  }

  start(): void {
    const namespaces = new NamespaceController(this.client, this.informer(findByKind('Namespace')!), this.log);
    this.stops.push(() => namespaces.queue.stop());
    const gc = new GarbageCollector(this.client, (r) => this.metadataInformer(r), this.log);
    this.stops.push(() => gc.queue.stop());
    const serviceAccounts = new ServiceAccountController(this.client, this.informer(findByKind('Namespace')!), this.informer(findByKind('ServiceAccount')!), this.log);
    this.stops.push(() => serviceAccounts.queue.stop());
    if (this.opts.rootCA) {
      const rootCA = new RootCAPublisher(this.client, this.informer(findByKind('Namespace')!), this.metadataInformer(findByKind('ConfigMap')!), this.opts.rootCA, this.log);
      this.stops.push(() => rootCA.queue.stop());
    }
    const jobs = new JobController(this.client, this.informer(findByKind('Job')!), this.informer(findByKind('Pod')!), this.log);
    const cronJobs = new CronJobController(this.client, this.informer(findByKind('CronJob')!), this.informer(findByKind('Job')!), this.log);
    const ttl = new TtlAfterFinishedController(this.client, this.informer(findByKind('Job')!), this.log);
    this.stops.push(() => jobs.queue.stop(), () => cronJobs.queue.stop(), () => ttl.queue.stop());
    const pods = this.informer(findByKind('Pod')!);
    const replicaSets = new ReplicaSetController(this.client, REPLICA_SET, this.informer(REPLICA_SET.resource), pods, this.log);
    const replicationControllers = new ReplicaSetController(this.client, REPLICATION_CONTROLLER, this.informer(REPLICATION_CONTROLLER.resource), pods, this.log);
    const deployments = new DeploymentController(this.client, this.informer(findByKind('Deployment')!), this.informer(REPLICA_SET.resource), pods, this.log);
    this.stops.push(() => replicaSets.queue.stop(), () => replicationControllers.queue.stop(), () => deployments.queue.stop());
    const daemonSets = new DaemonSetController(
      this.client,
      this.informer(findByKind('DaemonSet')!),
      pods,
      this.informer(findByKind('Node')!),
      this.informer(findByKind('ControllerRevision')!),
      this.log,
    );
    this.stops.push(() => daemonSets.queue.stop());
    const statefulSets = new StatefulSetController(this.client, this.informer(findByKind('StatefulSet')!), pods, this.informer(findByKind('ControllerRevision')!), this.informer(findByKind('PersistentVolumeClaim')!), this.log);
    this.stops.push(() => statefulSets.queue.stop());
    const disruption = new DisruptionController(
      this.client,
      this.informer(findByKind('PodDisruptionBudget')!),
      pods,
      {
        replicationControllers: this.informer(REPLICATION_CONTROLLER.resource),
        replicaSets: this.informer(REPLICA_SET.resource),
        deployments: this.informer(findByKind('Deployment')!),
        statefulSets: this.informer(findByKind('StatefulSet')!),
      },
      this.log,
    );
    this.stops.push(() => disruption.queue.stop());
    const quotas = new ResourceQuotaController(this.client, this.informer(findByKind('ResourceQuota')!), (r) => this.metadataInformer(r), this.log);
    this.stops.push(() => quotas.stop());
    const services = this.informer(findByKind('Service')!);
    const endpoints = new EndpointsController(this.client, services, pods, this.informer(findByKind('Endpoints')!), this.log);
    const endpointSlices = new EndpointSliceController(this.client, services, pods, this.informer(findByKind('EndpointSlice')!), this.log);
    const loadBalancers = new ServiceLoadBalancerController(this.client, services, this.log);
    this.stops.push(() => endpoints.queue.stop(), () => endpointSlices.queue.stop(), () => loadBalancers.queue.stop());
    if (this.opts.kubernetesService) {
      const kubernetes = new KubernetesServiceController(this.client, services, this.informer(findByKind('Endpoints')!), this.opts.kubernetesService, this.log);
      this.stops.push(() => kubernetes.queue.stop());
    }
    const csrs = this.informer(findByKind('CertificateSigningRequest')!);
    const approver = new CsrApprover(this.client, csrs, this.log);
    this.stops.push(() => approver.queue.stop());
    if (this.opts.certificateSigner) {
      const signer = new CsrSigner(this.client, csrs, this.opts.certificateSigner, this.log);
      this.stops.push(() => signer.queue.stop());
    }
    const bootstrapSigner = new BootstrapSigner(this.client, this.metadataInformer(findByKind('Secret')!), this.metadataInformer(findByKind('ConfigMap')!), this.log);
    this.stops.push(() => bootstrapSigner.stop());
    if (this.opts.clusterDnsIP) {
      const dns = new ClusterDnsServiceController(this.client, services, this.opts.clusterDnsIP, this.log);
      this.stops.push(() => dns.queue.stop());
    }
    if (this.opts.nodeIpam) {
      const ipam = new NodeIpamController(this.client, this.informer(findByKind('Node')!), this.opts.nodeIpam, this.log);
      this.stops.push(() => ipam.queue.stop());
    }
    this.stops.push(startNodeControllers(this.client, (r) => this.informer(r), this.opts.nodeMonitorGracePeriodSeconds ?? DEFAULT_NODE_MONITOR_GRACE_PERIOD_SECONDS, this.log));
    if (this.opts.podUsage) {
      const hpa = new HorizontalPodAutoscalerController(this.client, this.informer(findByKind('HorizontalPodAutoscaler')!), pods, this.opts.podUsage, this.opts.hpa ?? { syncPeriodMs: 15_000, downscaleStabilizationSeconds: 300 }, this.log);
      this.stops.push(() => hpa.queue.stop());
    }
    const ca = this.opts.clusterAutoscaler;
    if (ca && ca.options.groups.length > 0) {
      const autoscaler = new ClusterAutoscaler(this.client, pods, this.informer(findByKind('Node')!), ca.provider, ca.options, this.log);
      autoscaler.queue.add('cluster');
      this.stops.push(() => autoscaler.queue.stop());
    }
    const aggregation = new ClusterRoleAggregationController(this.client, this.informer(findByKind('ClusterRole')!), this.log);
    this.stops.push(() => aggregation.queue.stop());
    const crds = this.informer(findByKind('CustomResourceDefinition')!);
    const crdNaming = new CrdNamingController(this.client, crds, this.log);
    const crdFinalizer = new CrdFinalizerController(this.client, crds, this.log);
    this.stops.push(() => crdNaming.queue.stop(), () => crdFinalizer.queue.stop());
    const volumes = new PersistentVolumeController(
      this.client,
      {
        volumes: this.informer(findByKind('PersistentVolume')!),
        claims: this.informer(findByKind('PersistentVolumeClaim')!),
        classes: this.informer(findByKind('StorageClass')!),
        pods,
        nodes: this.informer(findByKind('Node')!),
      },
      this.log,
    );
    this.stops.push(() => volumes.queue.stop());
    this.informers.start();
    this.stops.push(() => this.informers.stop());
  }

  stop(): void {
    for (const stop of this.stops) stop();
  }
}
