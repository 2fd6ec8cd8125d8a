import { assignmentService } from "./assignment";
import { authoringService } from "./authoring";
import { notificationService } from "./notification";
import { progressService } from "./progress";
import { CloudRunServiceCard, K8sServiceCard, TopologyCard } from "./types";

/**
 * The service catalog: every service this program deploys, as data. Adding a service is adding its
 * card here; the stacks, the capacity model and the policy pack pick it up from this list.
 */
export const catalog: readonly TopologyCard[] = [assignmentService, authoringService, progressService, notificationService];

export function k8sServices(cards: readonly TopologyCard[] = catalog): K8sServiceCard[] {
    return cards.filter((c): c is K8sServiceCard => c.platform === "eks");
}

export function cloudRunServices(cards: readonly TopologyCard[] = catalog): CloudRunServiceCard[] {
    return cards.filter((c): c is CloudRunServiceCard => c.platform === "cloud-run");
}

export * from "./types";
