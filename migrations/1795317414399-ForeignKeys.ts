import { MigrationInterface, QueryRunner } from "typeorm";

// Foreign keys where they protect integrity without slowing the ingest path (tenancy itself is
// still enforced by every query taking the tenant id).
//
// - Deferred (DEFERRABLE INITIALLY DEFERRED, checked at COMMIT): the rows one inbound message or
//   one reply writes together: contact_identities and cases → contacts, messages → cases,
//   outbound_jobs and email_sources → messages. The pipeline may then write them in any order
//   and in multi-row batches (an identity or message inserted before the row it names, ids
//   generated up front); only the transaction as a whole must be consistent. The check costs
//   the same index probe, once per row, at commit. An orphan fails the COMMIT with 23503.
// - Immediate: references to rows created by earlier requests (tenants, channels, skills,
//   users), where a bad id is a bug worth failing at the statement.
// - ON DELETE: nothing deletes tenants, users, skills, cases or messages, and channels are
//   soft-deleted (an UPDATE, not checked), so most keys refuse deletion (NO ACTION). Rows that
//   mean nothing without their parent go with it (CASCADE: identities of a contact, skill
//   memberships, a channel's opt-outs and IMAP state, a message's outbound job and raw email);
//   a case outlives its skill or assignee (SET NULL).
// - Indexes: the only parent deleted today is a contact (ContactsService drops the one it
//   created when it lost a race), so cases.contact_id gets idx_cases_contact; the other
//   referencing columns lead an index already, or their parent is never deleted.
// - Left without a key, on purpose: messages.channel_id (always its case's channel, which
//   fk_cases_channel covers; a key would share-lock the channel row every ingest touches);
//   the tenant_id copies on cases, messages, identities, jobs, parts, memberships, opt-outs and
//   email rows (reached through their parent); messages.author_id (a contact or a user, by
//   author_type); events' case, skill and assignee (a snapshot of who could see the event,
//   pruned by age).
export class ForeignKeys1795317414399 implements MigrationInterface {
    name = 'ForeignKeys1795317414399'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "idx_cases_contact" ON "cases" ("contact_id") `);
        await queryRunner.query(`ALTER TABLE "skills" ADD CONSTRAINT "fk_skills_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "channels" ADD CONSTRAINT "fk_channels_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "channels" ADD CONSTRAINT "fk_channels_default_skill" FOREIGN KEY ("default_skill_id") REFERENCES "skills"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "contacts" ADD CONSTRAINT "fk_contacts_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "contact_identities" ADD CONSTRAINT "fk_contact_identities_contact" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED`);
        await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "fk_users_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "user_skills" ADD CONSTRAINT "fk_user_skills_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "user_skills" ADD CONSTRAINT "fk_user_skills_skill" FOREIGN KEY ("skill_id") REFERENCES "skills"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "cases" ADD CONSTRAINT "fk_cases_channel" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "cases" ADD CONSTRAINT "fk_cases_contact" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE NO ACTION ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED`);
        await queryRunner.query(`ALTER TABLE "cases" ADD CONSTRAINT "fk_cases_skill" FOREIGN KEY ("skill_id") REFERENCES "skills"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "cases" ADD CONSTRAINT "fk_cases_assignee" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "messages" ADD CONSTRAINT "fk_messages_case" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE NO ACTION ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED`);
        await queryRunner.query(`ALTER TABLE "email_sources" ADD CONSTRAINT "fk_email_sources_message" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED`);
        await queryRunner.query(`ALTER TABLE "imap_states" ADD CONSTRAINT "fk_imap_states_channel" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "opt_outs" ADD CONSTRAINT "fk_opt_outs_channel" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "events" ADD CONSTRAINT "fk_events_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "media" ADD CONSTRAINT "fk_media_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "outbound_jobs" ADD CONSTRAINT "fk_outbound_jobs_message" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "outbound_jobs" DROP CONSTRAINT "fk_outbound_jobs_message"`);
        await queryRunner.query(`ALTER TABLE "media" DROP CONSTRAINT "fk_media_tenant"`);
        await queryRunner.query(`ALTER TABLE "events" DROP CONSTRAINT "fk_events_tenant"`);
        await queryRunner.query(`ALTER TABLE "opt_outs" DROP CONSTRAINT "fk_opt_outs_channel"`);
        await queryRunner.query(`ALTER TABLE "imap_states" DROP CONSTRAINT "fk_imap_states_channel"`);
        await queryRunner.query(`ALTER TABLE "email_sources" DROP CONSTRAINT "fk_email_sources_message"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "fk_messages_case"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "fk_cases_assignee"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "fk_cases_skill"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "fk_cases_contact"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "fk_cases_channel"`);
        await queryRunner.query(`ALTER TABLE "user_skills" DROP CONSTRAINT "fk_user_skills_skill"`);
        await queryRunner.query(`ALTER TABLE "user_skills" DROP CONSTRAINT "fk_user_skills_user"`);
        await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "fk_users_tenant"`);
        await queryRunner.query(`ALTER TABLE "contact_identities" DROP CONSTRAINT "fk_contact_identities_contact"`);
        await queryRunner.query(`ALTER TABLE "contacts" DROP CONSTRAINT "fk_contacts_tenant"`);
        await queryRunner.query(`ALTER TABLE "channels" DROP CONSTRAINT "fk_channels_default_skill"`);
        await queryRunner.query(`ALTER TABLE "channels" DROP CONSTRAINT "fk_channels_tenant"`);
        await queryRunner.query(`ALTER TABLE "skills" DROP CONSTRAINT "fk_skills_tenant"`);
        await queryRunner.query(`DROP INDEX "public"."idx_cases_contact"`);
    }

}
