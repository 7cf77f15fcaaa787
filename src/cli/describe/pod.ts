import type { Pod } from 'kubernetes-types/core/v1.js';
import { timestampSince } from '../../api/printers/duration.js';
import type { KubeObject } from '../../api/types.js';
import { writeContainers } from './containers.js';
import { writeEvents } from './events.js';
import { formatTime } from './format.js';
import { controlledBy } from './owner.js';
import { writeTolerations, writeTopologySpreadConstraints } from './placement.js';
import { qosClass } from './pod-resources.js';
import type { DescribeContext, Describer } from './types.js';
import { writeVolumes } from './volumes.js';
import { LEVEL_0, LEVEL_1, tabbed, writeAnnotations, writeLabels } from './writer.js';

export const podDescriber: Describer = {
  describe(obj: KubeObject, ctx: DescribeContext): string {
    const pod = obj as unknown as Pod;
    const meta = pod.metadata ?? {};
    const spec = pod.spec ?? { containers: [] };
    const status = pod.status ?? {};
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
      w.write(LEVEL_0, `Namespace:\t${meta.namespace ?? ''}\n`);
      if (spec.priority !== undefined && spec.priority !== null) w.write(LEVEL_0, `Priority:\t${spec.priority}\n`);
      if (spec.priorityClassName) w.write(LEVEL_0, `Priority Class Name:\t${spec.priorityClassName}\n`);
      if (spec.runtimeClassName) w.write(LEVEL_0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
      if (spec.serviceAccountName) w.write(LEVEL_0, `Service Account:\t${spec.serviceAccountName}\n`);
      w.write(LEVEL_0, `Node:\t${spec.nodeName ? `${spec.nodeName}/${status.hostIP ?? ''}` : '<none>'}\n`);
      if (status.startTime) w.write(LEVEL_0, `Start Time:\t${formatTime(status.startTime)}\n`);
      writeLabels(w, 'Labels', meta.labels);
      writeAnnotations(w, 'Annotations', meta.annotations);
      if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
        w.write(LEVEL_0, `Status:\tTerminating (lasts ${timestampSince(meta.deletionTimestamp, ctx.now)})\n`);
        w.write(LEVEL_0, `Termination Grace Period:\t${meta.deletionGracePeriodSeconds ?? 0}s\n`);
      } else {
        w.write(LEVEL_0, `Status:\t${status.phase ?? ''}\n`);
      }
      if (status.reason) w.write(LEVEL_0, `Reason:\t${status.reason}\n`);
      if (status.message) w.write(LEVEL_0, `Message:\t${status.message}\n`);
      const seccomp = spec.securityContext?.seccompProfile;
      if (seccomp) {
        w.write(LEVEL_0, `SeccompProfile:\t${seccomp.type}\n`);
        if (seccomp.type === 'Localhost') w.write(LEVEL_0, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
      }
      w.write(LEVEL_0, `IP:\t${status.podIP ?? ''}\n`);
      if (status.podIPs?.length) {
        w.write(LEVEL_0, 'IPs:\n');
        for (const ip of status.podIPs) w.write(LEVEL_1, `IP:\t${ip.ip}\n`);
      } else {
        w.write(LEVEL_0, 'IPs:\t<none>\n');
      }
      const controller = controlledBy(obj);
      if (controller) w.write(LEVEL_0, `Controlled By:\t${controller}\n`);
      if (status.nominatedNodeName) w.write(LEVEL_0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
      if (spec.initContainers?.length) writeContainers(w, 'Init Containers', spec.initContainers, status.initContainerStatuses ?? [], pod, '');
      writeContainers(w, 'Containers', spec.containers ?? [], status.containerStatuses ?? [], pod, '');
      if (spec.ephemeralContainers?.length) {
        writeContainers(w, 'Ephemeral Containers', spec.ephemeralContainers, status.ephemeralContainerStatuses ?? [], pod, '');
      }
      if (spec.readinessGates?.length) {
        w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n');
        for (const gate of spec.readinessGates) {
          const condition = status.conditions?.find((c) => c.type === gate.conditionType);
          w.write(LEVEL_1, `${gate.conditionType} \t${condition ? condition.status : '<none>'} \n`);
        }
      }
      if (status.conditions?.length) {
        w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n');
        for (const c of status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status} \n`);
      }
      writeVolumes(w, spec.volumes, '');
      w.write(LEVEL_0, `QoS Class:\t${qosClass(pod)}\n`);
      writeLabels(w, 'Node-Selectors', spec.nodeSelector);
      writeTolerations(w, 'Tolerations', spec.tolerations);
      writeTopologySpreadConstraints(w, spec.topologySpreadConstraints, '');
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};
