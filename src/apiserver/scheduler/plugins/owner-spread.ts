// OwnerSpread: pods of one owner (a ReplicaSet's replicas, a Job's workers) go preferably to the
// nodes holding the fewest of them, as the default spreading of kube-scheduler does for pods
// of one controller, so losing a node loses as few replicas as possible.
import { controllerUid } from '../node-info.js';
import { MAX_NODE_SCORE, SKIP, type ScorePlugin } from '../framework.js';

export const ownerSpread: ScorePlugin = {
  name: 'OwnerSpread',
  weight: 2,
  preScore(pod) {
    return controllerUid(pod) ? undefined : SKIP;
  },
  score(pod, node) {
    return node.podsByOwner.get(controllerUid(pod)!) ?? 0;
  },
  normalize(scores) {
    const max = Math.max(0, ...scores);
    for (let i = 0; i < scores.length; i++) scores[i] = max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max - scores[i])) / max);
  },
};
