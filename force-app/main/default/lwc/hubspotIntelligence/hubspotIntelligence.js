import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getTimeline from '@salesforce/apex/HubSpotIntelligenceController.getTimeline';
import resync from '@salesforce/apex/HubSpotIntelligenceController.resync';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { ALL_FILTER_VALUES, FILTER_OPTIONS, eventTypesForFilters } from 'c/hubspotEventTypes';
import { formatLabel, labels } from 'c/hubspotIntelligenceLabels';
import { reduceErrors } from 'c/ldsUtils';

const PAGE_SIZE = 25;
const DEFAULT_HEIGHT = 350;
const MIN_HEIGHT = 150;

const SYNC_STATUS_LABELS = {
    'Not Synced': labels.statusNotSynced,
    Pending: labels.statusPending,
    Synced: labels.statusSynced,
    Error: labels.statusError,
    Excluded: labels.statusExcluded
};

// Why a record has no HubSpot timeline yet, by its sync status.
const NOT_LINKED_REASONS = {
    'Not Synced': labels.notLinkedNotSynced,
    Pending: labels.notLinkedPending,
    Synced: labels.notLinkedSynced,
    Error: labels.notLinkedError,
    Excluded: labels.notLinkedExcluded
};

const SEQUENCE_STATUS_LABELS = {
    ACTIVE: labels.enrollmentActive,
    PAUSED: labels.enrollmentPaused,
    FINISHED: labels.enrollmentFinished,
    UNENROLLED: labels.enrollmentUnenrolled
};

/**
 * HubSpot Intelligence: what HubSpot knows about the Lead, Contact, Account or Opportunity on screen,
 * served by the relay through `HubSpotIntelligenceController`. The first page comes from a cacheable
 * wire (re-queried when the type filter changes); older activity is appended with imperative calls.
 */
export default class HubspotIntelligence extends LightningElement {
    @api recordId;
    /** Height of the whole panel in pixels; the content scrolls inside. */
    @api height = DEFAULT_HEIGHT;
    // App Builder always passes these; Lightning Out (the Classic Visualforce pages) passes only recordId and
    // height, and a Boolean @api property cannot default to true, so "not set" means "show".
    @api showLifecycle;
    @api showEmailEngagement;
    @api showWebsite;
    @api showWorkflows;
    @api showActivities;
    /** Meeting booking link and sequence enrollment, both Beta; off unless switched on. */
    @api showBetaFeatures = false;

    labels = labels;
    filterOptions = FILTER_OPTIONS;
    pageSize = PAGE_SIZE;
    selectedFilters = ALL_FILTER_VALUES;
    /** Event types sent to Apex; null asks for every type. */
    queryTypes = null;
    isFilterOpen = false;
    isFilterPending = false;
    /** The wire's provisioned value, kept whole for refreshApex. */
    wiredTimeline;
    /** Older pages fetched with "Load more": `[{ events, nextCursor }]`. */
    olderPages = [];
    isLoadingMore = false;
    loadMoreError;
    isResyncing = false;

    @wire(getTimeline, { recordId: '$recordId', types: '$queryTypes', cursor: null, pageSize: '$pageSize' })
    handleTimeline(result) {
        this.wiredTimeline = result;
        // A fresh first page (other record, other filter, refresh) replaces the older pages loaded so far.
        this.olderPages = [];
        this.loadMoreError = undefined;
        this.isFilterPending = false;
    }

    get record() {
        return this.wiredTimeline ? this.wiredTimeline.data : undefined;
    }

    get error() {
        return this.wiredTimeline ? this.wiredTimeline.error : undefined;
    }

    get isLoading() {
        return !this.record && !this.error;
    }

    get timeline() {
        return this.record ? this.record.timeline : null;
    }

    get isLinked() {
        return !!this.timeline;
    }

    get isNotLinked() {
        return !!this.record && !this.record.timeline;
    }

    get cardStyle() {
        const height = Number(this.height);
        const pixels = Number.isInteger(height) && height >= MIN_HEIGHT ? height : DEFAULT_HEIGHT;
        return `--hubspot-intelligence-height: ${pixels}px`;
    }

    // Summary --------------------------------------------------------------------------------------

    get canResync() {
        return !!this.record && this.record.canResync === true;
    }

    get syncStatusText() {
        return SYNC_STATUS_LABELS[this.record.syncStatus] || this.record.syncStatus;
    }

    get summary() {
        return this.timeline.summary;
    }

    get lifecycleStageText() {
        return this.summary.lifecycleStageLabel || labels.notSet;
    }

    get hasScore() {
        return typeof this.summary.score === 'number';
    }

    get ownerText() {
        return this.summary.ownerName || labels.notSet;
    }

    get hubspotUrl() {
        return this.timeline.hubspotUrl || this.record.hubspotUrl;
    }

    get notLinkedReason() {
        return NOT_LINKED_REASONS[this.record.syncStatus] || labels.notLinkedNotSynced;
    }

    get resyncAdvice() {
        return this.canResync ? labels.resyncHint : labels.resyncAskAdmin;
    }

    // Sections -------------------------------------------------------------------------------------

    get sections() {
        return this.timeline.sections;
    }

    sectionState(section) {
        const status = this.sections[section];
        return status ? status.status : 'ok';
    }

    isSectionShown(section, designFlag) {
        return designFlag !== false && this.sectionState(section) !== 'disabled';
    }

    get showLifecycleSection() {
        return this.isSectionShown('lifecycle', this.showLifecycle);
    }

    get showActivitiesSection() {
        return this.isSectionShown('activities', this.showActivities);
    }

    get showEmailSection() {
        return this.isSectionShown('emailEngagement', this.showEmailEngagement);
    }

    get showWebsiteSection() {
        return this.isSectionShown('website', this.showWebsite);
    }

    get showWorkflowsSection() {
        return this.isSectionShown('workflows', this.showWorkflows);
    }

    // Beta sections only appear when there is something to show: a link, an enrollment or a failure.
    isBetaSectionShown(section, value) {
        return (
            this.showBetaFeatures === true &&
            this.isSectionShown(section, true) &&
            (!!value || this.sectionState(section) === 'error')
        );
    }

    get showMeetingSection() {
        return this.isBetaSectionShown('meetingLink', this.timeline.meetingLink);
    }

    get showSequenceSection() {
        return this.isBetaSectionShown('sequence', this.timeline.sequence);
    }

    get sequenceStatusText() {
        const { status } = this.timeline.sequence;
        return SEQUENCE_STATUS_LABELS[status] || status;
    }

    get sequenceStepText() {
        const { currentStep, totalSteps } = this.timeline.sequence;
        return formatLabel(labels.sequenceStep, currentStep, totalSteps);
    }

    /** Linked, but HubSpot has recorded nothing about the record (filters aside, and nothing failed). */
    get hasNoActivity() {
        const { events, nextCursor, emailEngagement, website, workflows, sections } = this.timeline;
        return (
            this.queryTypes === null &&
            events.length === 0 &&
            !nextCursor &&
            (!emailEngagement || emailEngagement.sent === 0) &&
            (!website || website.pageViews === 0) &&
            (!workflows || workflows.length === 0) &&
            Object.values(sections).every((section) => section.status !== 'error')
        );
    }

    // Activity timeline ----------------------------------------------------------------------------

    /** First page plus the older pages, without the duplicates a page boundary can produce. */
    get events() {
        const seen = new Set();
        return [this.timeline.events, ...this.olderPages.map((page) => page.events)].flat().filter((event) => {
            if (seen.has(event.eventId)) {
                return false;
            }
            seen.add(event.eventId);
            return true;
        });
    }

    get hasEvents() {
        return this.events.length > 0;
    }

    get nextCursor() {
        const lastPage = this.olderPages[this.olderPages.length - 1];
        return lastPage ? lastPage.nextCursor : this.timeline.nextCursor;
    }

    get hasMore() {
        return !!this.nextCursor;
    }

    get hasNoFilterSelected() {
        return this.selectedFilters.length === 0;
    }

    get noEventsText() {
        return this.queryTypes === null ? labels.noActivity : labels.noMatchingActivity;
    }

    handleFilterToggle() {
        this.isFilterOpen = !this.isFilterOpen;
    }

    handleFilterChange(event) {
        this.selectedFilters = event.detail.value;
        if (this.hasNoFilterSelected) {
            // Nothing to ask for; the timeline shows a hint until a type is selected again.
            return;
        }
        const types =
            this.selectedFilters.length === ALL_FILTER_VALUES.length
                ? null
                : eventTypesForFilters(this.selectedFilters);
        if (JSON.stringify(types) !== JSON.stringify(this.queryTypes)) {
            this.isFilterPending = true;
            this.queryTypes = types;
        }
    }

    async handleLoadMore() {
        const firstPage = this.wiredTimeline;
        this.isLoadingMore = true;
        this.loadMoreError = undefined;
        try {
            const result = await getTimeline({
                recordId: this.recordId,
                types: this.queryTypes,
                cursor: this.nextCursor,
                pageSize: this.pageSize
            });
            // The filter or the record changed while this page was on its way: it belongs to another list.
            if (this.wiredTimeline !== firstPage) {
                return;
            }
            const page = result && result.timeline;
            this.olderPages = [
                ...this.olderPages,
                { events: page ? page.events : [], nextCursor: page ? page.nextCursor : null }
            ];
        } catch (error) {
            this.loadMoreError = error;
        } finally {
            this.isLoadingMore = false;
        }
    }

    // Resync ---------------------------------------------------------------------------------------

    async handleResync() {
        this.isResyncing = true;
        try {
            await resync({ recordId: this.recordId });
        } catch (error) {
            this.toast(labels.resyncErrorTitle, reduceErrors(error).join(' '), 'error');
            return;
        } finally {
            this.isResyncing = false;
        }
        this.toast(labels.resyncSuccessTitle, labels.resyncSuccessMessage, 'success');
        // The sync status (now Pending) and, once the relay is done, the timeline come back through the wire.
        await refreshApex(this.wiredTimeline);
    }

    toast(title, message, variant) {
        this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
    }
}
