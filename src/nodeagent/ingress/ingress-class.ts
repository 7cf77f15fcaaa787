// Which Ingresses this proxy serves. An Ingress names its class in spec.ingressClassName (or, before
// IngressClass existed, in the kubernetes.io/ingress.class annotation); one naming none is served
// by the default class's controller. kctl has no IngressClass objects yet, so the proxy's class is
// the default one and serves every Ingress that names no class.
import type { KubeObject } from '../../api/types.js';

export const DEFAULT_INGRESS_CLASS = 'kctl';
const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export function servedByClass(ingress: KubeObject, className: string): boolean {
  const named = ingress.spec?.ingressClassName ?? ingress.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  return named === undefined || named === '' || named === className;
}
