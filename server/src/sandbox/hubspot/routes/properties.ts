import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { FieldType, PropertyDefinition, PropertyType } from '../catalogue/properties';
import type { SandboxContext } from '../context';
import { apiError, sendJson, validationError } from '../errors';
import { objectTypeParam, parseBody, queryFlag, queryList, requireScope } from './support';

/** Field types HubSpot allows per property type. */
const FIELD_TYPES: Record<PropertyType, FieldType[]> = {
    string: ['text', 'textarea', 'html', 'phonenumber', 'file'],
    number: ['number', 'calculation_equation'],
    date: ['date'],
    datetime: ['date'],
    enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
    bool: ['booleancheckbox'],
    phone_number: ['phonenumber']
};

const Option = z.object({
    label: z.string().min(1),
    value: z.string().min(1),
    displayOrder: z.number().int().optional(),
    hidden: z.boolean().default(false),
    description: z.string().optional()
});

const PropertyCreate = z.object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'name must start with a lowercase letter and use only a-z, 0-9 and _'),
    label: z.string().min(1),
    type: z.enum(['string', 'number', 'date', 'datetime', 'enumeration', 'bool', 'phone_number']),
    fieldType: z.enum([
        'text',
        'textarea',
        'html',
        'phonenumber',
        'file',
        'number',
        'calculation_equation',
        'date',
        'select',
        'radio',
        'checkbox',
        'booleancheckbox'
    ]),
    groupName: z.string().min(1),
    description: z.string().default(''),
    options: z.array(Option).default([]),
    displayOrder: z.number().int().default(-1),
    hasUniqueValue: z.boolean().default(false),
    hidden: z.boolean().default(false),
    formField: z.boolean().default(true),
    externalOptions: z.boolean().default(false)
});

const PropertyUpdate = PropertyCreate.omit({ name: true, hasUniqueValue: true }).partial();

function checkDefinition(type: PropertyType, fieldType: FieldType, options: z.infer<typeof Option>[]): void {
    if (!FIELD_TYPES[type].includes(fieldType))
        throw validationError(
            `fieldType ${fieldType} is not valid for a property of type ${type}; use one of ${FIELD_TYPES[type].join(', ')}`
        );
    if (type === 'enumeration' && options.length === 0 && fieldType !== 'booleancheckbox')
        throw validationError('Enumeration properties need at least one option');
    const values = options.map((option) => option.value);
    if (new Set(values).size !== values.length) throw validationError('Option values must be unique');
}

function toOptions(options: z.infer<typeof Option>[]): PropertyDefinition['options'] {
    return options.map((option, index) => ({ ...option, displayOrder: option.displayOrder ?? index }));
}

export function propertiesRouter(context: SandboxContext): Router {
    const router = Router();
    const { store } = context;

    const scoped = (res: Response, segment: unknown, access: 'read' | 'write') => {
        const info = objectTypeParam(segment);
        requireScope(res, `crm.schemas.${info.scopeObject}.${access}`);
        return info;
    };
    const findProperty = (req: Request, res: Response, access: 'read' | 'write') => {
        const info = scoped(res, req.params.objectType, access);
        const name = String(req.params.propertyName);
        const property = store.catalogue(info.name).get(name);
        if (!property || (property.archived && !queryFlag(req.query.archived)))
            throw apiError(404, 'OBJECT_NOT_FOUND', `Unable to find property with name ${name} for ${info.name}`);
        return { info, property };
    };

    router.get('/crm/v3/properties/:objectType', (req: Request, res: Response) => {
        const info = scoped(res, req.params.objectType, 'read');
        const archived = queryFlag(req.query.archived);
        const only = new Set(queryList(req.query.properties));
        const results = [...store.catalogue(info.name).values()].filter(
            (p) => p.archived === archived && (only.size === 0 || only.has(p.name))
        );
        sendJson(res, 200, { results });
    });

    router.post('/crm/v3/properties/:objectType', (req: Request, res: Response) => {
        const info = scoped(res, req.params.objectType, 'write');
        const input = parseBody(PropertyCreate, req);
        const catalogue = store.catalogue(info.name);
        if (catalogue.has(input.name))
            throw apiError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${input.name}' already exists.`);
        checkDefinition(input.type, input.fieldType, input.options);
        const now = context.clock.date().toISOString();
        const property: PropertyDefinition = {
            ...input,
            options: toOptions(input.options),
            calculated: false,
            hubspotDefined: false,
            modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
            createdAt: now,
            updatedAt: now,
            archived: false
        };
        catalogue.set(property.name, property);
        store.saveCatalogue(info.name);
        sendJson(res, 201, property);
    });

    router.get('/crm/v3/properties/:objectType/:propertyName', (req: Request, res: Response) => {
        sendJson(res, 200, findProperty(req, res, 'read').property);
    });

    router.patch('/crm/v3/properties/:objectType/:propertyName', (req: Request, res: Response) => {
        const { info, property } = findProperty(req, res, 'write');
        const input = parseBody(PropertyUpdate, req);
        const changesDefinition = Object.keys(input).some(
            (key) => key !== 'options' && key !== 'label' && key !== 'description'
        );
        // HubSpot-defined properties keep their definition; only labels and (for enumerations) options change.
        if (property.modificationMetadata.readOnlyDefinition && (changesDefinition || property.externalOptions))
            throw validationError(`The property ${property.name} is HubSpot-defined; its definition cannot be changed`);
        const next = { ...property, ...input, options: input.options ? toOptions(input.options) : property.options };
        checkDefinition(next.type, next.fieldType, next.options);
        Object.assign(property, next, { updatedAt: context.clock.date().toISOString() });
        store.saveCatalogue(info.name);
        sendJson(res, 200, property);
    });

    router.delete('/crm/v3/properties/:objectType/:propertyName', (req: Request, res: Response) => {
        const { info, property } = findProperty(req, res, 'write');
        if (!property.modificationMetadata.archivable)
            throw validationError(`The property ${property.name} is HubSpot-defined and cannot be archived`);
        property.archived = true;
        property.archivedAt = context.clock.date().toISOString();
        store.saveCatalogue(info.name);
        res.status(204).end();
    });

    return router;
}
