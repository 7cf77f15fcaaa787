// When a client certificate is renewed: at a random point between 70% and 90% of its lifetime,
// as the kubelet's certificate manager picks it, so a fleet's renewals spread out and each
// happens well before the certificate expires.
export function rotationDeadline(notBefore: Date, notAfter: Date, random: () => number = Math.random): Date {
  const lifetime = notAfter.getTime() - notBefore.getTime();
  return new Date(notBefore.getTime() + lifetime * (0.7 + 0.2 * random()));
}
