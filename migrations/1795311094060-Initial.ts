import { MigrationInterface, QueryRunner } from "typeorm";

export class Initial1795311094060 implements MigrationInterface {
    name = 'Initial1795311094060'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "cases" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "channel_id" uuid NOT NULL, "channel_type" text NOT NULL, "contact_id" uuid NOT NULL, "contact_address" text NOT NULL, "thread_key" text NOT NULL DEFAULT '', "status" text NOT NULL DEFAULT 'new', "priority" smallint NOT NULL DEFAULT '0', "skill_id" uuid, "assignee_id" uuid, "subject" text, "last_message_at" TIMESTAMP WITH TIME ZONE, "last_message_preview" text, "last_inbound_at" TIMESTAMP WITH TIME ZONE, "last_options" jsonb NOT NULL DEFAULT '[]', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_264acb3048c240fb89aa34626db" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_cases_live_thread" ON "cases" ("channel_id", "contact_id", "thread_key") WHERE "status" <> 'closed'`);
        await queryRunner.query(`CREATE INDEX "idx_cases_assignee" ON "cases" ("tenant_id", "assignee_id", "last_message_at") `);
        await queryRunner.query(`CREATE INDEX "idx_cases_status_inbox" ON "cases" ("tenant_id", "status", "last_message_at", "id") `);
        await queryRunner.query(`CREATE INDEX "idx_cases_inbox" ON "cases" ("tenant_id", "last_message_at", "id") `);
        await queryRunner.query(`CREATE TABLE "channels" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "type" text NOT NULL, "name" text NOT NULL, "default_skill_id" uuid NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "config" jsonb NOT NULL DEFAULT '{}', "secrets" text, "health" text NOT NULL DEFAULT 'ok', "health_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_bc603823f3f741359c2339389f9" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_47b27864a7c91c1ca3ce14d6ed" ON "channels" ("tenant_id") `);
        await queryRunner.query(`CREATE TABLE "contacts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "name" text, "email" text, "phone" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b99cd40cfd66a99f1571f4f72e6" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_02414d381af812a734bad9cad8" ON "contacts" ("tenant_id", "phone") `);
        await queryRunner.query(`CREATE INDEX "IDX_1f0a97987fa4ef7534d9a662f8" ON "contacts" ("tenant_id", "email") `);
        await queryRunner.query(`CREATE TABLE "contact_identities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "channel_type" text NOT NULL, "scope" text NOT NULL DEFAULT '', "address" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_38de992d13ad0ef3975ca176935" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_1d4a95cd88e42cb1ec58e5bc95" ON "contact_identities" ("contact_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_dfc134232e43b4b46e172a6beb" ON "contact_identities" ("tenant_id", "channel_type", "scope", "address") `);
        await queryRunner.query(`CREATE TABLE "events" ("tenant_id" uuid NOT NULL, "seq" bigint NOT NULL, "type" text NOT NULL, "case_id" uuid, "skill_id" uuid, "assignee_id" uuid, "data" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_14cea8b3f6ee9b975a5ed30fb8b" PRIMARY KEY ("tenant_id", "seq"))`);
        await queryRunner.query(`CREATE INDEX "idx_events_created" ON "events" ("created_at") `);
        await queryRunner.query(`CREATE TABLE "messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "case_id" uuid NOT NULL, "channel_id" uuid NOT NULL, "direction" text NOT NULL, "internal" boolean NOT NULL DEFAULT false, "author_type" text NOT NULL, "author_id" uuid, "content" jsonb NOT NULL, "rendered" jsonb, "status" text NOT NULL, "provider_message_id" text, "external_id" text, "error" text, "idempotency_key" text, "segments" smallint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_18325f38ae6de43878487eff986" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_messages_external" ON "messages" ("channel_id", "external_id") WHERE "external_id" IS NOT NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_messages_idempotency" ON "messages" ("case_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_messages_provider_id" ON "messages" ("channel_id", "provider_message_id") WHERE "provider_message_id" IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "idx_messages_history" ON "messages" ("case_id", "created_at", "id") `);
        await queryRunner.query(`CREATE TABLE "outbound_jobs" ("id" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL, "tenant_id" uuid NOT NULL, "message_id" uuid NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "run_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_b63d1043aef659cc2590e353614" UNIQUE ("message_id"), CONSTRAINT "PK_948beffa6026ae3d71d33e913da" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_outbound_jobs_due" ON "outbound_jobs" ("run_at") `);
        await queryRunner.query(`CREATE TABLE "skills" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0d3212120f4ecedf90864d7e298" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_41243ba91a8ed11e265ba9afbf" ON "skills" ("tenant_id", "name") `);
        await queryRunner.query(`CREATE TABLE "tenants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "event_seq" bigint NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_53be67a04681c66b87ee27c9321" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "email" text NOT NULL, "name" text NOT NULL, "password_hash" text NOT NULL, "role" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_109638590074998bb72a2f2cf0" ON "users" ("tenant_id") `);
        await queryRunner.query(`CREATE TABLE "user_skills" ("user_id" uuid NOT NULL, "skill_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "proficiency" smallint NOT NULL DEFAULT '10', CONSTRAINT "PK_816eba68a0ca1b837ec15daefc7" PRIMARY KEY ("user_id", "skill_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_eb69710b0a00f42fb95fc2ac2f" ON "user_skills" ("skill_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_eb69710b0a00f42fb95fc2ac2f"`);
        await queryRunner.query(`DROP TABLE "user_skills"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_109638590074998bb72a2f2cf0"`);
        await queryRunner.query(`DROP TABLE "users"`);
        await queryRunner.query(`DROP TABLE "tenants"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_41243ba91a8ed11e265ba9afbf"`);
        await queryRunner.query(`DROP TABLE "skills"`);
        await queryRunner.query(`DROP INDEX "public"."idx_outbound_jobs_due"`);
        await queryRunner.query(`DROP TABLE "outbound_jobs"`);
        await queryRunner.query(`DROP INDEX "public"."idx_messages_history"`);
        await queryRunner.query(`DROP INDEX "public"."uq_messages_provider_id"`);
        await queryRunner.query(`DROP INDEX "public"."uq_messages_idempotency"`);
        await queryRunner.query(`DROP INDEX "public"."idx_messages_external"`);
        await queryRunner.query(`DROP TABLE "messages"`);
        await queryRunner.query(`DROP INDEX "public"."idx_events_created"`);
        await queryRunner.query(`DROP TABLE "events"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_dfc134232e43b4b46e172a6beb"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_1d4a95cd88e42cb1ec58e5bc95"`);
        await queryRunner.query(`DROP TABLE "contact_identities"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_1f0a97987fa4ef7534d9a662f8"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_02414d381af812a734bad9cad8"`);
        await queryRunner.query(`DROP TABLE "contacts"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_47b27864a7c91c1ca3ce14d6ed"`);
        await queryRunner.query(`DROP TABLE "channels"`);
        await queryRunner.query(`DROP INDEX "public"."idx_cases_inbox"`);
        await queryRunner.query(`DROP INDEX "public"."idx_cases_status_inbox"`);
        await queryRunner.query(`DROP INDEX "public"."idx_cases_assignee"`);
        await queryRunner.query(`DROP INDEX "public"."uq_cases_live_thread"`);
        await queryRunner.query(`DROP TABLE "cases"`);
    }

}
