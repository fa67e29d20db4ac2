/** Record writes shared by the single, batch and control endpoints. */
import { z } from 'zod';
import { associationType } from '../catalogue/associations';
import { isEngagement, type ObjectTypeInfo, type ObjectTypeName } from '../catalogue/object-types';
import type { SandboxContext } from '../context';
import { validationError } from '../errors';
import { propertyValidationError } from '../property-values';
import type { ReadShape } from '../serialize';
import type { StoredObject, WriteSource } from '../store/crm-store';

export const PropertiesInput = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const AssociationInput = z.object({
    to: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
    types: z.array(
        z.object({
            associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']),
            associationTypeId: z.number().int()
        })
    )
});
export type AssociationInput = z.infer<typeof AssociationInput>;

export const CreateInput = z.object({
    properties: PropertiesInput,
    associations: z.array(AssociationInput).optional()
});
export type CreateInput = z.infer<typeof CreateInput>;

/** Checks create-time associations: known type ids whose target records exist. */
export function resolveCreateAssociations(
    context: SandboxContext,
    from: ObjectTypeName,
    associations: AssociationInput[] | undefined
): { to: ObjectTypeName; toId: number; typeIds: number[] }[] {
    return (associations ?? []).map((association) => {
        const typeIds = association.types.map((type) => type.associationTypeId);
        const targets = new Set(typeIds.map((typeId) => associationType(typeId)?.to));
        const to = [...targets][0];
        if (!to || targets.size !== 1) throw validationError(`Invalid association type ids: ${typeIds.join(', ')}`);
        context.store.resolveAssociationTypes(from, to, typeIds);
        const target = context.store.find(to, association.to.id);
        if (!target) throw validationError(`No ${to} object with id ${association.to.id} exists to associate with`);
        return { to, toId: target.id, typeIds };
    });
}

/** Validates and creates one record with its associations (shared by create, batch create and upsert). */
export function createRecord(
    context: SandboxContext,
    type: ObjectTypeName,
    input: CreateInput,
    source: WriteSource
): StoredObject {
    const values = context.store.prepareWrite(type, input.properties);
    if (isEngagement(type) && !values.hs_timestamp)
        throw propertyValidationError([
            { name: 'hs_timestamp', error: 'REQUIRED_PROPERTY', message: 'hs_timestamp is required' }
        ]);
    const associations = resolveCreateAssociations(context, type, input.associations);
    return context.store.transaction(() => {
        const record = context.store.insert(type, values, source);
        for (const { to, toId, typeIds } of associations)
            context.store.associate(type, record.id, to, toId, typeIds, source);
        return record;
    });
}

/** Properties a write response shows: the type's defaults plus what was written. */
export function writeShape(info: ObjectTypeInfo, written: Record<string, unknown>): ReadShape {
    return { properties: [...new Set([...info.defaultProperties, ...Object.keys(written)])] };
}
