<aura:application
    access="GLOBAL"
    extends="ltng:outApp"
    description="Lightning Out dependency app of the HubSpot Intelligence component"
>
    <aura:dependency resource="c:hubspotIntelligence" />
</aura:application>
