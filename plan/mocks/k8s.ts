import { OutputFn } from "./types";

/** Computed attributes of Kubernetes resources the program reads. */
export const k8sOutputs: Record<string, OutputFn> = {};
