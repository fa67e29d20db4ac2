// Every user-visible text of the HubSpot Intelligence components, from Custom Labels so admins can translate them.
import title from '@salesforce/label/c.HubSpot_Title';
import loading from '@salesforce/label/c.HubSpot_Loading';
import loadError from '@salesforce/label/c.HubSpot_Load_Error';
import showDetails from '@salesforce/label/c.HubSpot_Show_Details';
import sectionUnavailable from '@salesforce/label/c.HubSpot_Section_Unavailable';
import openInHubSpot from '@salesforce/label/c.HubSpot_Open_In_HubSpot';
import opensNewWindow from '@salesforce/label/c.HubSpot_Opens_New_Window';
import lifecycleStage from '@salesforce/label/c.HubSpot_Lifecycle_Stage';
import score from '@salesforce/label/c.HubSpot_Score';
import owner from '@salesforce/label/c.HubSpot_Owner';
import syncStatus from '@salesforce/label/c.HubSpot_Sync_Status';
import lastSynced from '@salesforce/label/c.HubSpot_Last_Synced';
import notSet from '@salesforce/label/c.HubSpot_Not_Set';
import never from '@salesforce/label/c.HubSpot_Never';
import statusNotSynced from '@salesforce/label/c.HubSpot_Status_Not_Synced';
import statusPending from '@salesforce/label/c.HubSpot_Status_Pending';
import statusSynced from '@salesforce/label/c.HubSpot_Status_Synced';
import statusError from '@salesforce/label/c.HubSpot_Status_Error';
import statusExcluded from '@salesforce/label/c.HubSpot_Status_Excluded';
import resync from '@salesforce/label/c.HubSpot_Resync';
import resyncSuccessTitle from '@salesforce/label/c.HubSpot_Resync_Success_Title';
import resyncSuccessMessage from '@salesforce/label/c.HubSpot_Resync_Success_Message';
import resyncErrorTitle from '@salesforce/label/c.HubSpot_Resync_Error_Title';
import notLinkedTitle from '@salesforce/label/c.HubSpot_Not_Linked_Title';
import notLinkedNotSynced from '@salesforce/label/c.HubSpot_Not_Linked_Not_Synced';
import notLinkedPending from '@salesforce/label/c.HubSpot_Not_Linked_Pending';
import notLinkedError from '@salesforce/label/c.HubSpot_Not_Linked_Error';
import notLinkedExcluded from '@salesforce/label/c.HubSpot_Not_Linked_Excluded';
import notLinkedSynced from '@salesforce/label/c.HubSpot_Not_Linked_Synced';
import lastSyncError from '@salesforce/label/c.HubSpot_Last_Sync_Error';
import resyncHint from '@salesforce/label/c.HubSpot_Resync_Hint';
import resyncAskAdmin from '@salesforce/label/c.HubSpot_Resync_Ask_Admin';
import noActivity from '@salesforce/label/c.HubSpot_No_Activity';
import sectionLifecycle from '@salesforce/label/c.HubSpot_Section_Lifecycle';
import sectionActivities from '@salesforce/label/c.HubSpot_Section_Activities';
import sectionEmail from '@salesforce/label/c.HubSpot_Section_Email';
import sectionWebsite from '@salesforce/label/c.HubSpot_Section_Website';
import sectionWorkflows from '@salesforce/label/c.HubSpot_Section_Workflows';
import sectionMeeting from '@salesforce/label/c.HubSpot_Section_Meeting';
import sectionSequence from '@salesforce/label/c.HubSpot_Section_Sequence';
import beta from '@salesforce/label/c.HubSpot_Beta';
import stageCompleted from '@salesforce/label/c.HubSpot_Stage_Completed';
import stageCurrent from '@salesforce/label/c.HubSpot_Stage_Current';
import stageUpcoming from '@salesforce/label/c.HubSpot_Stage_Upcoming';
import lifecycleNone from '@salesforce/label/c.HubSpot_Lifecycle_None';
import filter from '@salesforce/label/c.HubSpot_Filter';
import filterTypes from '@salesforce/label/c.HubSpot_Filter_Types';
import filterNoneSelected from '@salesforce/label/c.HubSpot_Filter_None_Selected';
import noMatchingActivity from '@salesforce/label/c.HubSpot_No_Matching_Activity';
import loadMore from '@salesforce/label/c.HubSpot_Load_More';
import loadMoreError from '@salesforce/label/c.HubSpot_Load_More_Error';
import filterMarketingEmails from '@salesforce/label/c.HubSpot_Filter_Marketing_Emails';
import eventMarketingEmailSent from '@salesforce/label/c.HubSpot_Event_Marketing_Email_Sent';
import eventMarketingEmailDelivered from '@salesforce/label/c.HubSpot_Event_Marketing_Email_Delivered';
import eventMarketingEmailOpened from '@salesforce/label/c.HubSpot_Event_Marketing_Email_Opened';
import eventMarketingEmailClicked from '@salesforce/label/c.HubSpot_Event_Marketing_Email_Clicked';
import eventMarketingEmailBounced from '@salesforce/label/c.HubSpot_Event_Marketing_Email_Bounced';
import eventSalesEmail from '@salesforce/label/c.HubSpot_Event_Sales_Email';
import eventFormSubmission from '@salesforce/label/c.HubSpot_Event_Form_Submission';
import eventPageView from '@salesforce/label/c.HubSpot_Event_Page_View';
import eventMeeting from '@salesforce/label/c.HubSpot_Event_Meeting';
import eventCall from '@salesforce/label/c.HubSpot_Event_Call';
import eventNote from '@salesforce/label/c.HubSpot_Event_Note';
import eventTask from '@salesforce/label/c.HubSpot_Event_Task';
import eventLifecycleChange from '@salesforce/label/c.HubSpot_Event_Lifecycle_Change';
import directionInbound from '@salesforce/label/c.HubSpot_Direction_Inbound';
import directionOutbound from '@salesforce/label/c.HubSpot_Direction_Outbound';
import emailSent from '@salesforce/label/c.HubSpot_Email_Sent';
import emailDelivered from '@salesforce/label/c.HubSpot_Email_Delivered';
import emailOpened from '@salesforce/label/c.HubSpot_Email_Opened';
import emailClicked from '@salesforce/label/c.HubSpot_Email_Clicked';
import emailBounced from '@salesforce/label/c.HubSpot_Email_Bounced';
import emailOpenRate from '@salesforce/label/c.HubSpot_Email_Open_Rate';
import emailClickRate from '@salesforce/label/c.HubSpot_Email_Click_Rate';
import emailBounceRate from '@salesforce/label/c.HubSpot_Email_Bounce_Rate';
import emailLastOpened from '@salesforce/label/c.HubSpot_Email_Last_Opened';
import emailLastClicked from '@salesforce/label/c.HubSpot_Email_Last_Clicked';
import emailNone from '@salesforce/label/c.HubSpot_Email_None';
import websitePageViews from '@salesforce/label/c.HubSpot_Website_Page_Views';
import websiteSessions from '@salesforce/label/c.HubSpot_Website_Sessions';
import websiteFirstVisit from '@salesforce/label/c.HubSpot_Website_First_Visit';
import websiteLastVisit from '@salesforce/label/c.HubSpot_Website_Last_Visit';
import websiteTopPages from '@salesforce/label/c.HubSpot_Website_Top_Pages';
import websiteViews from '@salesforce/label/c.HubSpot_Website_Views';
import websiteNone from '@salesforce/label/c.HubSpot_Website_None';
import workflowsCurrent from '@salesforce/label/c.HubSpot_Workflows_Current';
import workflowsPast from '@salesforce/label/c.HubSpot_Workflows_Past';
import workflowsNone from '@salesforce/label/c.HubSpot_Workflows_None';
import enrolled from '@salesforce/label/c.HubSpot_Enrolled';
import ended from '@salesforce/label/c.HubSpot_Ended';
import enrollmentActive from '@salesforce/label/c.HubSpot_Enrollment_Active';
import enrollmentCompleted from '@salesforce/label/c.HubSpot_Enrollment_Completed';
import enrollmentUnenrolled from '@salesforce/label/c.HubSpot_Enrollment_Unenrolled';
import enrollmentPaused from '@salesforce/label/c.HubSpot_Enrollment_Paused';
import enrollmentFinished from '@salesforce/label/c.HubSpot_Enrollment_Finished';
import sequenceStep from '@salesforce/label/c.HubSpot_Sequence_Step';

export const labels = {
    title,
    loading,
    loadError,
    showDetails,
    sectionUnavailable,
    openInHubSpot,
    opensNewWindow,
    lifecycleStage,
    score,
    owner,
    syncStatus,
    lastSynced,
    notSet,
    never,
    statusNotSynced,
    statusPending,
    statusSynced,
    statusError,
    statusExcluded,
    resync,
    resyncSuccessTitle,
    resyncSuccessMessage,
    resyncErrorTitle,
    notLinkedTitle,
    notLinkedNotSynced,
    notLinkedPending,
    notLinkedError,
    notLinkedExcluded,
    notLinkedSynced,
    lastSyncError,
    resyncHint,
    resyncAskAdmin,
    noActivity,
    sectionLifecycle,
    sectionActivities,
    sectionEmail,
    sectionWebsite,
    sectionWorkflows,
    sectionMeeting,
    sectionSequence,
    beta,
    stageCompleted,
    stageCurrent,
    stageUpcoming,
    lifecycleNone,
    filter,
    filterTypes,
    filterNoneSelected,
    noMatchingActivity,
    loadMore,
    loadMoreError,
    filterMarketingEmails,
    eventMarketingEmailSent,
    eventMarketingEmailDelivered,
    eventMarketingEmailOpened,
    eventMarketingEmailClicked,
    eventMarketingEmailBounced,
    eventSalesEmail,
    eventFormSubmission,
    eventPageView,
    eventMeeting,
    eventCall,
    eventNote,
    eventTask,
    eventLifecycleChange,
    directionInbound,
    directionOutbound,
    emailSent,
    emailDelivered,
    emailOpened,
    emailClicked,
    emailBounced,
    emailOpenRate,
    emailClickRate,
    emailBounceRate,
    emailLastOpened,
    emailLastClicked,
    emailNone,
    websitePageViews,
    websiteSessions,
    websiteFirstVisit,
    websiteLastVisit,
    websiteTopPages,
    websiteViews,
    websiteNone,
    workflowsCurrent,
    workflowsPast,
    workflowsNone,
    enrolled,
    ended,
    enrollmentActive,
    enrollmentCompleted,
    enrollmentUnenrolled,
    enrollmentPaused,
    enrollmentFinished,
    sequenceStep
};

/**
 * Fills `{0}`, `{1}`, ... placeholders, the same convention Salesforce uses for labels with parameters.
 * @param {string} template label text
 * @param {...*} values replacement values, by position
 * @returns {string}
 */
export function formatLabel(template, ...values) {
    return template.replace(/\{(\d+)\}/g, (placeholder, index) => {
        return index < values.length ? String(values[index]) : placeholder;
    });
}
