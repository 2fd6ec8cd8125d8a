import { CallFn, OutputFn } from "./types";

/** Computed attributes of GCP resources the program reads. */
export const gcpOutputs: Record<string, OutputFn> = {};

/** GCP provider functions the program calls. */
export const gcpCalls: Record<string, CallFn> = {
    "gcp:organizations/getProject:getProject": (args, ctx) => {
        const projectId = (args.inputs as { projectId?: string }).projectId ?? ctx.gcpProject;
        return {
            id: `projects/${projectId}`,
            projectId,
            name: projectId,
            number: ctx.gcpProjectNumber,
        };
    },
};
