import { MigrationInterface, QueryRunner } from "typeorm";

export class Media1795313582744 implements MigrationInterface {
    name = 'Media1795313582744'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "media" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "content_type" text NOT NULL, "name" text, "size" integer NOT NULL, "sha256" text NOT NULL, "data" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f4e0fcac36e050de337b670d8bd" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_644a62e2a072ea4b5ef384364b" ON "media" ("tenant_id", "sha256") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_644a62e2a072ea4b5ef384364b"`);
        await queryRunner.query(`DROP TABLE "media"`);
    }

}
