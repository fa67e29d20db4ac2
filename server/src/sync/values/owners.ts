/**
 * The owner map: HubSpot owner ID ↔ Salesforce user ID, matched by email (as HubSpot's connector does).
 * Built from plain lists the adapters read (`SELECT Id, Email, IsActive FROM User`, HubSpot owners), so
 * it is pure. An email held by several active users or owners matches nobody and is reported, because
 * picking one would assign records to the wrong person.
 */
import { normaliseEmail } from '../identity/email';

export interface SalesforceUser {
    id: string;
    email: string | null;
    isActive: boolean;
}

export interface HubSpotOwner {
    id: string;
    email: string | null;
    archived?: boolean;
}

export interface OwnerDirectory {
    hubspotOwnerForUser(userId: string): string | undefined;
    salesforceUserForOwner(ownerId: string): string | undefined;
    /**
     * Users who own records without being a person a HubSpot owner could stand for: the integration user
     * the bridge logs in as owns what it created from HubSpot records that had no owner. Their records
     * have no HubSpot owner rather than an error.
     */
    isUnassigned(userId: string): boolean;
    /** Active users with no HubSpot owner of the same email (their records keep their HubSpot owner). */
    unmatchedSalesforceUsers: string[];
    unmatchedHubSpotOwners: string[];
    /** Emails shared by several active users or owners; none of them is matched. */
    ambiguousEmails: string[];
}

function indexByEmail<T extends { id: string; email: string | null }>(
    entries: T[],
    ambiguous: Set<string>
): Map<string, T> {
    const byEmail = new Map<string, T>();
    for (const entry of entries) {
        const email = normaliseEmail(entry.email);
        if (!email) continue;
        if (byEmail.has(email)) ambiguous.add(email);
        else byEmail.set(email, entry);
    }
    for (const email of ambiguous) byEmail.delete(email);
    return byEmail;
}

export function buildOwnerDirectory(
    users: SalesforceUser[],
    owners: HubSpotOwner[],
    options: { unassignedUserIds?: readonly string[] } = {}
): OwnerDirectory {
    const unassigned = new Set(options.unassignedUserIds ?? []);
    const ambiguous = new Set<string>();
    const usersByEmail = indexByEmail(
        users.filter((user) => user.isActive),
        ambiguous
    );
    const ownersByEmail = indexByEmail(
        owners.filter((owner) => !owner.archived),
        ambiguous
    );
    for (const email of ambiguous) {
        usersByEmail.delete(email);
        ownersByEmail.delete(email);
    }

    const ownerByUser = new Map<string, string>();
    const userByOwner = new Map<string, string>();
    for (const [email, user] of usersByEmail) {
        const owner = ownersByEmail.get(email);
        if (!owner) continue;
        ownerByUser.set(user.id, owner.id);
        userByOwner.set(owner.id, user.id);
    }

    return {
        hubspotOwnerForUser: (userId) => ownerByUser.get(userId),
        isUnassigned: (userId) => unassigned.has(userId) && !ownerByUser.has(userId),
        salesforceUserForOwner: (ownerId) => userByOwner.get(ownerId),
        unmatchedSalesforceUsers: users
            .filter((user) => user.isActive && !ownerByUser.has(user.id) && !unassigned.has(user.id))
            .map((user) => user.id),
        unmatchedHubSpotOwners: owners
            .filter((owner) => !owner.archived && !userByOwner.has(owner.id))
            .map((owner) => owner.id),
        ambiguousEmails: [...ambiguous].sort()
    };
}
